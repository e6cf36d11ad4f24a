import type { EventInput, EventPayload, ServerEventName } from '../../shared/protocol/events';

export type BusListener = <E extends ServerEventName>(event: E, payload: EventPayload<E>) => void;

/**
 * The one in-process bus engines publish domain events on. The server's delivery
 * pipeline subscribes to it; engines never import the server.
 */
export class EventBus {
  private readonly listeners = new Set<BusListener>();

  /** `now` stamps payloads with wall-clock time even when engines run on simulated time. */
  constructor(private readonly now: () => number = Date.now) {}

  publish<E extends ServerEventName>(event: E, payload: EventInput<E>): EventPayload<E> {
    const stamped = { ...payload, timestamp: payload.timestamp ?? this.now() } as EventPayload<E>;
    for (const listener of this.listeners) listener(event, stamped);
    return stamped;
  }

  subscribe(listener: BusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
