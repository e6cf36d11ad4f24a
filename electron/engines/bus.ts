import type { EventInput, EventPayload, ServerEventName } from '../../shared/protocol/events';
import type { Db } from '../store/database';

export type BusListener = <E extends ServerEventName>(event: E, payload: EventPayload<E>) => void;

/**
 * Where published events wait until they are durable (the event log). The bus
 * hands it each event; the outbox gives it a `seq`, writes it inside whatever
 * transaction commits next, and only then gives it back to the bus for delivery.
 */
export interface Outbox {
  /** Takes an event; returns the payload as it will be delivered (with its seq). */
  stage(event: string, payload: Record<string, unknown>): Record<string, unknown>;
  /** Writes every staged event; runs inside the caller's open transaction. */
  writeStaged(): void;
  /** The transaction that ran writeStaged committed: hand the events on. */
  committed(): void;
  /** The transaction that ran writeStaged rolled back: the events are staged again. */
  rolledBack(): void;
  /** A position to discard back to when a command is refused. */
  mark(): number;
  /** Drops (never writes, never delivers) the events staged since `mark`. */
  discardSince(mark: number): void;
  /** Commits whatever is staged now, in a transaction of its own. */
  flush(): void;
  /** True while some event is staged and not yet committed. */
  hasStaged(): boolean;
}

/**
 * The one in-process bus engines publish domain events on. The server's delivery
 * pipeline subscribes to it; engines never import the server. With an outbox
 * attached (the server's event log) listeners hear an event only once it is
 * committed; without one (unit tests) they hear it at once.
 */
export class EventBus {
  private readonly listeners = new Set<BusListener>();
  private outbox: Outbox | null = null;

  /** `now` stamps payloads with wall-clock time even when engines run on simulated time. */
  constructor(private readonly now: () => number = Date.now) {}

  attachOutbox(outbox: Outbox): void {
    this.outbox = outbox;
  }

  publish<E extends ServerEventName>(event: E, payload: EventInput<E>): EventPayload<E> {
    const stamped = { ...payload, timestamp: payload.timestamp ?? this.now() } as Record<string, unknown>;
    if (this.outbox) return this.outbox.stage(event, stamped) as EventPayload<E>;
    this.deliver(event, stamped);
    return stamped as EventPayload<E>;
  }

  /** Hands a committed event to the listeners (the outbox calls this). */
  deliver(event: string, payload: Record<string, unknown>): void {
    for (const listener of this.listeners) listener(event as ServerEventName, payload as EventPayload<ServerEventName>);
  }

  subscribe(listener: BusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Runs `write` and the events staged so far in one transaction of `db`, then
   * delivers those events: the outbox of a command, so its effects and the events
   * they cause are durable together or not at all.
   */
  transaction<T>(db: Db, write: () => T): T {
    const outbox = this.outbox;
    if (!outbox) return db.transaction(write)();
    let result: T;
    try {
      result = db.transaction(() => {
        const r = write();
        outbox.writeStaged();
        return r;
      })();
    } catch (error) {
      outbox.rolledBack();
      throw error;
    }
    outbox.committed();
    return result;
  }

  /**
   * A command's transaction (the outbox): `write` and the events it publishes
   * commit together; if the commit fails, those events are dropped as well, never
   * delivered or written later.
   */
  command<T>(db: Db, write: () => T): T {
    const mark = this.mark();
    try {
      return this.transaction(db, write);
    } catch (error) {
      this.discardSince(mark);
      throw error;
    }
  }

  /** A position to discard back to if the command under way is refused. */
  mark(): number {
    return this.outbox?.mark() ?? 0;
  }

  /** Forgets the events published since `mark`: the command that caused them was refused. */
  discardSince(mark: number): void {
    this.outbox?.discardSince(mark);
  }

  /** Commits staged events now (before a command's ack). */
  flush(): void {
    this.outbox?.flush();
  }

  /** True while some published event waits for a commit. */
  hasStaged(): boolean {
    return this.outbox?.hasStaged() ?? false;
  }
}
