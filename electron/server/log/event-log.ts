import { channelOf } from '../../../shared/protocol/channels';
import type { EventBus, Outbox } from '../../engines/bus';
import type { Db } from '../../store/database';
import { EventLogRepo, type LoggedEvent } from '../../store/event-log-repo';
import { unsynced } from '../../store/unsynced';
import { firstAfter } from './log-reader';

export interface EventLogOptions {
  /** Keep at least this many of the newest events… */
  retainEvents: number;
  /** …and every event younger than this (ms), whichever keeps more. */
  retainMs: number;
  /** Newest committed events kept in memory for replays and `/api/events`. */
  cacheEvents: number;
  /** Older events are read in aligned blocks of this many seqs, shared by every replay that needs them. */
  blockSize?: number;
  /** How many such blocks stay cached. */
  cachedBlocks?: number;
  /** Rows deleted per pruning transaction. */
  pruneBatch?: number;
  pruneIntervalMs?: number;
  now?: () => number;
  onError: (error: unknown, what: string) => void;
}

type Staged = { entry: LoggedEvent; ts: number };

/**
 * The event log (docs/protocol.md §10) and the bus's outbox. A published channel event
 * gets the next `seq` at once, is written with the transaction that commits next
 * (a command's own, or one per event-loop turn for everything else) and is
 * delivered only after that commit, so nothing is announced that the log does not
 * keep and an acked command's events survive `kill -9`. Seqs are only ever seen
 * once committed, so a crash can never make one name two events.
 */
export class EventLog implements Outbox {
  readonly epoch: string;
  private readonly repo: EventLogRepo;
  private nextSeq: number;
  private committedSeq: number;
  private staged: Staged[] = [];
  private written = 0;
  private readonly recent: LoggedEvent[] = [];
  private readonly blocks = new Map<number, LoggedEvent[]>();
  private flushQueued = false;
  private pruneTimer: NodeJS.Timeout | undefined;
  private pruning = false;
  private closed = false;
  private readonly blockSize: number;
  private readonly now: () => number;

  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly options: EventLogOptions,
  ) {
    this.repo = new EventLogRepo(db);
    this.epoch = this.repo.epoch();
    this.committedSeq = this.repo.newestSeq();
    this.nextSeq = this.committedSeq + 1;
    this.blockSize = options.blockSize ?? 512;
    this.now = options.now ?? Date.now;
    bus.attachOutbox(this);
    this.pruneTimer = setInterval(() => this.prune(), options.pruneIntervalMs ?? 60_000);
    this.pruneTimer.unref();
  }

  /** The newest committed seq (what `auth:session` reports). */
  get seq(): number {
    return this.committedSeq;
  }

  /** The oldest seq still retained (the newest + 1 when the log is empty). */
  oldestSeq(): number {
    return this.repo.oldestSeq() ?? this.committedSeq + 1;
  }

  stage(event: string, payload: Record<string, unknown>): Record<string, unknown> {
    const channel = channelOf(event);
    if (channel === null || this.closed) {
      // Per-socket events are not logged; after close nothing is delivered any more.
      if (!this.closed) this.bus.deliver(event, payload);
      return payload;
    }
    // The bus hands over a fresh stamped copy, so the seq goes straight onto it.
    payload.seq = this.nextSeq++;
    const entry: LoggedEvent = { seq: payload.seq as number, event, channel, payload };
    this.staged.push({ entry, ts: typeof payload.timestamp === 'number' ? payload.timestamp : this.now() });
    if (!this.flushQueued) {
      this.flushQueued = true;
      setImmediate(() => {
        this.flushQueued = false;
        this.flushTurn();
      });
    }
    return entry.payload;
  }

  writeStaged(): void {
    for (let i = this.written; i < this.staged.length; i++) {
      const { entry, ts } = this.staged[i]!;
      this.repo.insert(entry, JSON.stringify(entry.payload), ts);
    }
    this.written = this.staged.length;
  }

  committed(): void {
    const done = this.staged.slice(0, this.written);
    this.staged = this.staged.slice(this.written);
    this.written = 0;
    for (const { entry } of done) {
      this.committedSeq = entry.seq;
      this.remember(entry);
    }
    // Listeners may publish in turn; those events are staged behind these.
    for (const { entry } of done) this.bus.deliver(entry.event, entry.payload);
  }

  rolledBack(): void {
    this.written = 0;
  }

  mark(): number {
    return this.nextSeq;
  }

  discardSince(mark: number): void {
    if (mark >= this.nextSeq) return;
    this.staged = this.staged.filter((s) => s.entry.seq < mark);
    this.nextSeq = mark;
  }

  hasStaged(): boolean {
    return this.staged.length > 0;
  }

  /** Commits what is staged, synced to disk (before an ack). */
  flush(): void {
    if (this.staged.length === 0) return;
    try {
      this.bus.transaction(this.db, () => undefined);
    } catch (error) {
      this.drop(error);
      throw error;
    }
  }

  /**
   * The per-turn commit of engine events skips the fsync (WAL, synchronous=NORMAL):
   * it still survives the process dying, and the next synced commit covers power
   * loss too. A failed write (a full disk) drops the events: they are never
   * announced, so nobody was told something the log does not keep.
   */
  private flushTurn(): void {
    if (this.staged.length === 0 || this.closed) return;
    try {
      unsynced(this.db, () => this.bus.transaction(this.db, () => undefined));
    } catch (error) {
      this.drop(error);
    }
  }

  private drop(error: unknown): void {
    this.options.onError(error, `event log write failed; ${this.staged.length} events were dropped, never delivered`);
    this.staged = [];
    this.written = 0;
    this.nextSeq = this.committedSeq + 1;
  }

  private remember(entry: LoggedEvent): void {
    this.recent.push(entry);
    // Trim in steps so the ring costs O(1) per event on average.
    if (this.recent.length > this.options.cacheEvents * 1.25) this.recent.splice(0, this.recent.length - this.options.cacheEvents);
  }

  /**
   * Up to `max` committed events with afterSeq < seq <= throughSeq, in seq order:
   * from memory when recent, else from shared cached blocks, so many replays of
   * the same range cost one read.
   */
  chunk(afterSeq: number, throughSeq: number, max: number): LoggedEvent[] {
    if (afterSeq >= throughSeq) return [];
    const first = this.recent[0];
    if (first && afterSeq >= first.seq - 1) {
      const start = firstAfter(this.recent, afterSeq);
      const out: LoggedEvent[] = [];
      for (let i = start; i < this.recent.length && out.length < max; i++) {
        const e = this.recent[i]!;
        if (e.seq > throughSeq) break;
        out.push(e);
      }
      return out;
    }
    const out: LoggedEvent[] = [];
    let cursor = afterSeq;
    while (out.length < max && cursor < throughSeq) {
      const k = Math.floor(cursor / this.blockSize);
      const block = this.block(k);
      for (let i = firstAfter(block, cursor); i < block.length && out.length < max; i++) {
        const e = block[i]!;
        if (e.seq > throughSeq) return out;
        out.push(e);
      }
      cursor = (k + 1) * this.blockSize;
    }
    return out;
  }

  /** Retained events after `seq` on `channels` (to bound a replay before starting it). */
  countAfter(seq: number, channels: readonly string[]): number {
    return this.repo.countAfter(seq, channels);
  }

  /** The newest `limit` events on `channels`, oldest first (`/api/events` without `since`). */
  newest(channels: readonly string[], limit: number, events?: readonly string[]): LoggedEvent[] {
    return this.repo.newest(channels, limit, events).reverse();
  }

  /** Up to `limit` events after `seq` on `channels` (only those named `events`, when given), oldest first. */
  after(seq: number, channels: readonly string[], limit: number, events?: readonly string[]): LoggedEvent[] {
    return this.repo.after(seq, channels, limit, events);
  }

  private block(k: number): LoggedEvent[] {
    const cached = this.blocks.get(k);
    if (cached) {
      this.blocks.delete(k);
      this.blocks.set(k, cached);
      return cached;
    }
    const end = (k + 1) * this.blockSize;
    const events = this.repo.range(k * this.blockSize, end);
    // Only whole, committed blocks are shared; the head keeps growing.
    if (end <= this.committedSeq) {
      this.blocks.set(k, events);
      if (this.blocks.size > (this.options.cachedBlocks ?? 64)) this.blocks.delete(this.blocks.keys().next().value!);
    }
    return events;
  }

  /** Deletes what retention no longer needs, in bounded batches that yield to the event loop. */
  prune(): void {
    if (this.pruning || this.closed) return;
    const throughSeq = this.committedSeq - this.options.retainEvents;
    const before = this.now() - this.options.retainMs;
    if (throughSeq <= 0) return;
    this.pruning = true;
    const step = (): void => {
      if (this.closed) return void (this.pruning = false);
      let removed = 0;
      const batch = this.options.pruneBatch ?? 5000;
      try {
        removed = this.repo.pruneBatch(throughSeq, before, batch);
      } catch (error) {
        this.options.onError(error, 'event log pruning failed');
      }
      if (removed === batch) setImmediate(step);
      else this.pruning = false;
    };
    step();
  }

  /** Commits what is staged and stops delivering. */
  close(): void {
    if (this.closed) return;
    try {
      this.flush();
    } catch {
      // drop() has reported it.
    }
    this.closed = true;
    clearInterval(this.pruneTimer);
  }
}
