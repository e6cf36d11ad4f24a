import { channelOf, severityOf, type Severity } from '../../../../shared/protocol/channels';
import { onAnyEvent } from '../bus';

/** The raw live stream: every frame (batches unpacked), bounded, flushed to the UI a few times a second. */
export interface LoggedEvent {
  seq: number;
  at: number;
  event: string;
  channel: string;
  severity: Severity;
  payload: Record<string, unknown>;
}

const CAPACITY = 5000;
const FLUSH_MS = 250;
const IGNORED = new Set(['ping', 'pong']);

class EventLog {
  /** Newest first; replaced (not mutated) on each flush. */
  items = $state.raw<LoggedEvent[]>([]);
  paused = $state(false);
  /** Events received since pausing. */
  pendingWhilePaused = $state(0);
  total = $state(0);
  rate = $state(0);
  #buffer: LoggedEvent[] = [];
  #seq = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #rateWindow: number[] = [];

  constructor() {
    onAnyEvent((event, payload) => {
      if (IGNORED.has(event)) return;
      const entry: LoggedEvent = {
        seq: ++this.#seq,
        at: typeof payload.timestamp === 'number' ? payload.timestamp : Date.now(),
        event,
        channel: channelOf(event) ?? 'session',
        severity: severityOf(payload, event),
        payload,
      };
      this.#buffer.push(entry);
      if (this.#buffer.length > CAPACITY) this.#buffer.splice(0, this.#buffer.length - CAPACITY);
      this.#rateWindow.push(Date.now());
      this.#schedule();
    });
  }

  pause(): void {
    this.paused = true;
    this.pendingWhilePaused = 0;
  }

  resume(): void {
    this.paused = false;
    this.pendingWhilePaused = 0;
    this.#flush();
  }

  clear(): void {
    this.#buffer = [];
    this.items = [];
    this.pendingWhilePaused = 0;
  }

  /** Everything buffered (newest first), independent of pausing. */
  all(): LoggedEvent[] {
    return [...this.#buffer].reverse();
  }

  #schedule(): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => this.#flush(), FLUSH_MS);
  }

  #flush(): void {
    this.#timer = null;
    const cutoff = Date.now() - 5000;
    while (this.#rateWindow.length && this.#rateWindow[0]! < cutoff) this.#rateWindow.shift();
    this.rate = this.#rateWindow.length / 5;
    this.total = this.#seq;
    if (this.paused) {
      this.pendingWhilePaused = this.#seq - (this.items[0]?.seq ?? 0);
      return;
    }
    this.items = [...this.#buffer].reverse();
  }
}

export const eventLog = new EventLog();
