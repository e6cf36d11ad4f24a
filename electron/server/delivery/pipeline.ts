import type { Server } from 'socket.io';
import { channelOf } from '../../../shared/protocol/channels';
import { takesChannelEvent } from '../../../shared/protocol/filters';
import type { EventBus } from '../../engines/bus';
import type { SessionRegistry } from './registry';
import type { SocketSession } from '../socket/session';

type Held = { queue: [string, Record<string, unknown>][]; limit: number; onOverflow: () => void };

/**
 * The only place engine events become socket frames:
 * permission → channel subscription → filter → per-socket rate limit → batching → emit.
 * Sockets that take an event unshaped share one broadcast, so the payload is
 * encoded once however many sockets receive it.
 */
export class DeliveryPipeline {
  private readonly unsubscribe: () => void;
  /** Sessions being replayed to (docs/protocol.md §10): their live events wait here, in order. */
  private readonly held = new Map<SocketSession, Held>();
  delivered = 0;

  constructor(
    private readonly io: Server,
    private readonly registry: SessionRegistry,
    bus: EventBus,
  ) {
    this.unsubscribe = bus.subscribe((event, payload) => this.dispatch(event, payload as Record<string, unknown>));
  }

  dispatch(event: string, payload: Record<string, unknown>): void {
    const channel = channelOf(event);
    if (channel === null) return;
    const subscribers = this.registry.subscribers(channel);
    if (subscribers.size === 0) return;
    const shared: string[] = [];
    let tracked: SocketSession[] | null = null;
    for (const session of subscribers) {
      if (!session.canRead(channel)) continue;
      const sub = session.subscriptions.get(channel);
      if (!sub || !takesChannelEvent(channel, sub, event, payload)) continue;
      if (this.held.size > 0 && this.hold(session, event, payload)) continue;
      if (session.shapes(event)) {
        // Sockets of one shape share a batch: the event goes into it once, and is encoded once per flush.
        const group = session.batchGroup;
        if (group) group.add(event, payload);
        else session.deliver(event, payload);
        continue;
      }
      session.flushHeldBatch();
      shared.push(session.id);
      if (session.tracksBandwidth) (tracked ??= []).push(session);
    }
    if (shared.length === 0) return;
    this.delivered += shared.length;
    this.io.to(shared).emit(event, payload);
    if (tracked) {
      const bytes = JSON.stringify(payload).length;
      for (const s of tracked) s.countBroadcast(bytes);
    }
  }

  /** From now on `session`'s live events are queued (at most `limit`) until `release`. */
  holdLive(session: SocketSession, limit: number, onOverflow: () => void): void {
    session.replayStarted();
    this.held.set(session, { queue: [], limit, onOverflow });
  }

  /** Delivers the queued live events newer than `afterSeq` (the replay sent the rest), then live as usual; returns how many. */
  release(session: SocketSession, afterSeq: number): number {
    const held = this.held.get(session);
    this.held.delete(session);
    let sent = 0;
    if (held && session.socket.connected) {
      for (const [event, payload] of held.queue) {
        if ((payload.seq as number) > afterSeq) {
          session.deliver(event, payload);
          sent++;
        }
      }
    }
    session.replayed();
    return sent;
  }

  private hold(session: SocketSession, event: string, payload: Record<string, unknown>): boolean {
    const held = this.held.get(session);
    if (!held) return false;
    if (held.queue.length >= held.limit) {
      this.held.delete(session);
      held.onOverflow();
    } else held.queue.push([event, payload]);
    return true;
  }

  close(): void {
    this.unsubscribe();
  }
}
