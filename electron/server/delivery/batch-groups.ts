import type { Server } from 'socket.io';
import type { Clock } from '../../engines/clock';
import type { SocketSession } from '../socket/session';
import { Batcher, type BatchConfig } from './batcher';

/**
 * One batch shared by sockets whose batches are bound to be identical: same batching settings,
 * same subscriptions and read permissions, no per-event rate limit. Each event is added once, and
 * each flush is encoded once and written to every member.
 */
export class BatchGroup {
  readonly members = new Set<SocketSession>();
  private readonly batcher: Batcher;
  /** The payload added last: the pipeline visits every member, the batch takes the event once. */
  private last: unknown = null;

  constructor(
    readonly key: string,
    config: BatchConfig,
    clock: Clock,
    io: Server,
  ) {
    this.batcher = new Batcher(config, clock, (batch) => {
      const ids: string[] = [];
      let bytes = -1;
      for (const m of this.members) {
        ids.push(m.id);
        if (m.tracksBandwidth) m.countBroadcast(bytes < 0 ? (bytes = JSON.stringify(batch).length) : bytes);
      }
      io.to(ids).emit('batch', batch);
    });
  }

  add(event: string, payload: Record<string, unknown>): void {
    if (payload === this.last) return;
    this.last = payload;
    this.batcher.add(event, payload);
  }

  flush(): void {
    this.batcher.flush();
  }

  get holding(): boolean {
    return this.batcher.holding;
  }

  dispose(): void {
    this.batcher.dispose();
  }
}

/** The batch groups by shape; a socket joins the one for its shape and leaves it when that changes. */
export class BatchGroups {
  private readonly groups = new Map<string, BatchGroup>();

  constructor(
    private readonly io: Server,
    private readonly clock: Clock,
  ) {}

  /** Adds `session`; what the group holds is sent first, so a member only gets events from after it joined. */
  join(session: SocketSession, key: string, config: BatchConfig): BatchGroup {
    let group = this.groups.get(key);
    if (!group) this.groups.set(key, (group = new BatchGroup(key, config, this.clock, this.io)));
    group.flush();
    group.members.add(session);
    return group;
  }

  /** Removes `session`; with `flush` it first gets what the group holds for it. */
  leave(session: SocketSession, group: BatchGroup, flush: boolean): void {
    if (flush) group.flush();
    group.members.delete(session);
    if (group.members.size > 0) return;
    group.dispose();
    this.groups.delete(group.key);
  }

  get size(): number {
    return this.groups.size;
  }
}
