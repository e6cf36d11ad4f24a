import { randomUUID } from 'node:crypto';
import type { Db } from './database';

/** One logged channel event; `payload` is the delivered object (with its `seq` and `timestamp`). */
export interface LoggedEvent {
  seq: number;
  event: string;
  channel: string;
  payload: Record<string, unknown>;
}

/** A JSON array of channel names bound as one parameter. */
const CHANNEL_LIST = '(SELECT value FROM json_each(?))';

type Row = { seq: number; event: string; channel: string; payload: string };

const toEvent = (row: Row): LoggedEvent => ({
  seq: Number(row.seq),
  event: String(row.event),
  channel: String(row.channel),
  payload: JSON.parse(row.payload) as Record<string, unknown>,
});

/**
 * The event log's SQLite table (docs/protocol.md §10). `seq` is the row id, so range
 * reads walk the primary key. The meta table holds the epoch, made once with the
 * log, and the highest seq ever pruned, so seqs keep growing even if retention
 * emptied the table.
 */
export class EventLogRepo {
  private readonly stmt;

  constructor(private readonly db: Db) {
    this.stmt = {
      insert: db.prepare('INSERT INTO event_log (seq, event, channel, payload, ts) VALUES (?, ?, ?, ?, ?)'),
      range: db.prepare('SELECT seq, event, channel, payload FROM event_log WHERE seq > ? AND seq <= ? ORDER BY seq'),
      newest: db.prepare('SELECT MAX(seq) AS seq FROM event_log'),
      oldest: db.prepare('SELECT MIN(seq) AS seq FROM event_log'),
      count: db.prepare(`SELECT COUNT(*) AS n FROM event_log WHERE seq > ? AND channel IN ${CHANNEL_LIST}`),
      after: db.prepare(`SELECT seq, event, channel, payload FROM event_log WHERE seq > ? AND channel IN ${CHANNEL_LIST} ORDER BY seq LIMIT ?`),
      newestOf: db.prepare(`SELECT seq, event, channel, payload FROM event_log WHERE channel IN ${CHANNEL_LIST} ORDER BY seq DESC LIMIT ?`),
      newestNamed: db.prepare(`SELECT seq, event, channel, payload FROM event_log WHERE channel IN ${CHANNEL_LIST} AND event IN ${CHANNEL_LIST} ORDER BY seq DESC LIMIT ?`),
      afterNamed: db.prepare(`SELECT seq, event, channel, payload FROM event_log WHERE seq > ? AND channel IN ${CHANNEL_LIST} AND event IN ${CHANNEL_LIST} ORDER BY seq LIMIT ?`),
      meta: db.prepare('SELECT value FROM event_log_meta WHERE key = ?'),
      setMeta: db.prepare('INSERT INTO event_log_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      // Only the oldest `batch` rows are looked at: when retention by age still keeps them, the old
      // query walked every row up to throughSeq (the whole log, once it outgrew retainEvents) to find none.
      pruneBatch: db.prepare('DELETE FROM event_log WHERE seq IN (SELECT seq FROM event_log WHERE seq <= ? ORDER BY seq LIMIT ?) AND ts < ?'),
    };
  }

  /** The log's epoch, created with the log: a new database (a lost or reset log) gets a new one. */
  epoch(): string {
    const row = this.stmt.meta.get('epoch') as { value: string } | undefined;
    if (row) return String(row.value);
    const epoch = randomUUID();
    this.stmt.setMeta.run('epoch', epoch);
    return epoch;
  }

  /** The highest seq ever assigned and kept (0 for a new log). */
  newestSeq(): number {
    const newest = Number((this.stmt.newest.get() as { seq: number | null }).seq ?? 0);
    const pruned = Number((this.stmt.meta.get('pruned_through') as { value: string } | undefined)?.value ?? 0);
    return Math.max(newest, pruned);
  }

  /** The oldest retained seq, or null when the table is empty. */
  oldestSeq(): number | null {
    const seq = (this.stmt.oldest.get() as { seq: number | null }).seq;
    return seq === null ? null : Number(seq);
  }

  /** Call inside the caller's transaction. */
  insert(e: LoggedEvent, json: string, ts: number): void {
    this.stmt.insert.run(e.seq, e.event, e.channel, json, ts);
  }

  /** Events with afterSeq < seq <= throughSeq, in seq order. */
  range(afterSeq: number, throughSeq: number): LoggedEvent[] {
    return (this.stmt.range.all(afterSeq, throughSeq) as Row[]).map(toEvent);
  }

  /** How many retained events on `channels` come after `seq` (an upper bound for one replay). */
  countAfter(seq: number, channels: readonly string[]): number {
    return Number((this.stmt.count.get(seq, JSON.stringify(channels)) as { n: number }).n);
  }

  /** Up to `limit` events on `channels` after `seq`, oldest first. */
  after(seq: number, channels: readonly string[], limit: number, events?: readonly string[]): LoggedEvent[] {
    const rows = events ? this.stmt.afterNamed.all(seq, JSON.stringify(channels), JSON.stringify(events), limit) : this.stmt.after.all(seq, JSON.stringify(channels), limit);
    return (rows as Row[]).map(toEvent);
  }

  /** The newest `limit` events on `channels` (only those named `events`, when given), newest first. */
  newest(channels: readonly string[], limit: number, events?: readonly string[]): LoggedEvent[] {
    const rows = events ? this.stmt.newestNamed.all(JSON.stringify(channels), JSON.stringify(events), limit) : this.stmt.newestOf.all(JSON.stringify(channels), limit);
    return (rows as Row[]).map(toEvent);
  }

  /**
   * Of the `batch` oldest events at or below `throughSeq`, deletes those older than
   * `before` (ms); returns how many went (fewer than `batch`: pruning is done for now).
   */
  pruneBatch(throughSeq: number, before: number, batch: number): number {
    return this.db.transaction(() => {
      const newest = this.newestSeq();
      const { changes } = this.stmt.pruneBatch.run(throughSeq, batch, before);
      if (changes > 0) this.stmt.setMeta.run('pruned_through', String(newest));
      return changes;
    })();
  }
}
