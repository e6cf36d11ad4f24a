import { channelOf, severityOf, type Severity } from '../../../../shared/protocol/channels';
import { onAnyEvent } from '../server-events';
import { loggedEvents } from '../event-history';
import { connection } from './connection.svelte';
import { pace } from '../pace';

/**
 * The raw stream: every frame (batches unpacked), bounded, flushed to the UI twice
 * a second; on each connect the server's log fills in what came before, so a
 * reload keeps the history.
 */
export interface LoggedEvent {
  seq: number;
  /** The server's log seq (docs/protocol.md §10), for channel events. */
  logSeq: number | null;
  at: number;
  event: string;
  channel: string;
  severity: Severity;
  payload: Record<string, unknown>;
}

const CAPACITY = 5000;
/** A raw stream people scan, not a gauge: twice a second is enough, and each flush re-renders the table. */
const FLUSH_MS = 500;
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
  #rateWindow: number[] = [];

  constructor() {
    onAnyEvent((event, payload) => {
      if (IGNORED.has(event)) return;
      this.#buffer.push(this.#entry(event, payload));
      if (this.#buffer.length > CAPACITY) this.#buffer.splice(0, this.#buffer.length - CAPACITY);
      this.#rateWindow.push(Date.now());
      this.#schedule();
    });
  }

  /** Merges the server's logged history in, by log seq, without repeating what is already here. */
  async loadHistory(): Promise<void> {
    let history;
    try {
      history = await loggedEvents({ limit: 1000 });
    } catch {
      return; // A server without the log (or not reachable right now): the live stream still fills the view.
    }
    const known = new Set(this.#buffer.map((e) => e.logSeq));
    const missing = history.filter((e) => !known.has(e.seq)).map((e) => this.#entry(e.event, e.data));
    if (missing.length === 0) return;
    const merged = [...missing, ...this.#buffer];
    merged.sort((a, b) => a.at - b.at || (a.logSeq ?? Infinity) - (b.logSeq ?? Infinity));
    this.#buffer = merged.slice(-CAPACITY);
    this.#flush();
  }

  #entry(event: string, payload: Record<string, unknown>): LoggedEvent {
    return {
      seq: ++this.#seq,
      logSeq: typeof payload.seq === 'number' ? payload.seq : null,
      at: typeof payload.timestamp === 'number' ? payload.timestamp : Date.now(),
      event,
      channel: channelOf(event) ?? 'session',
      severity: severityOf(payload, event),
      payload,
    };
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
    pace.after(FLUSH_MS, this.#flush);
  }

  #flush = (): void => {
    const cutoff = Date.now() - 5000;
    while (this.#rateWindow.length && this.#rateWindow[0]! < cutoff) this.#rateWindow.shift();
    this.rate = this.#rateWindow.length / 5;
    this.total = this.#seq;
    if (this.paused) {
      this.pendingWhilePaused = this.#seq - (this.items[0]?.seq ?? 0);
      return;
    }
    this.items = [...this.#buffer].reverse();
  };
}

export const eventLog = new EventLog();
connection.onConnected(() => void eventLog.loadHistory());
