import type { Server } from 'socket.io';
import { channelOf } from '../../../shared/protocol/channels';
import { passesSubscription } from '../../../shared/protocol/filters';
import type { EventBus } from '../../engines/bus';
import type { SessionRegistry } from './registry';
import type { SocketSession } from '../socket/session';

/**
 * The only place engine events become socket frames:
 * permission → channel subscription → filter → per-socket rate limit → batching → emit.
 * Sockets that take an event unshaped share one broadcast, so the payload is
 * encoded once however many sockets receive it.
 */
export class DeliveryPipeline {
  private readonly unsubscribe: () => void;
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
      if (!sub || !passesSubscription(channel, sub, event, payload)) continue;
      if (session.shapes(event)) {
        session.deliver(event, payload);
        continue;
      }
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

  close(): void {
    this.unsubscribe();
  }
}
