import type { LoggedEvent } from '../../store/event-log-repo';

/**
 * What replays and `/api/events` read: the SQLite event log on one node, the
 * Redis stream on a cluster edge (docs/protocol.md §10, §12). Edge reads are asynchronous.
 */
export interface LogReader {
  readonly epoch: string;
  /** The newest seq this node has delivered. */
  readonly seq: number;
  oldestSeq(): number;
  chunk(afterSeq: number, throughSeq: number, max: number): LoggedEvent[] | Promise<LoggedEvent[]>;
  countAfter(seq: number, channels: readonly string[]): number | Promise<number>;
  /** `events`, when given, narrows to those event names. */
  newest(channels: readonly string[], limit: number, events?: readonly string[]): LoggedEvent[] | Promise<LoggedEvent[]>;
  after(seq: number, channels: readonly string[], limit: number, events?: readonly string[]): LoggedEvent[] | Promise<LoggedEvent[]>;
  /** A node that trails the log (an edge) resolves once it has delivered `seq`, or gives up after a while. */
  catchUp?(seq: number): Promise<void>;
}

/** Index of the first event with seq > `seq` in a seq-ordered list. */
export function firstAfter(list: readonly LoggedEvent[], seq: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.seq <= seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
