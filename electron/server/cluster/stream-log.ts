import type { Logger } from 'pino';
import { channelOf } from '../../../shared/protocol/channels';
import type { EventBus } from '../../engines/bus';
import type { LoggedEvent } from '../../store/event-log-repo';
import { firstAfter, type LogReader } from '../log/log-reader';
import { SeqWaiters } from './seq-waiters';
import { idOfSeq, KEYS, seqOfId, type Redis } from './redis';

const READ_COUNT = 1000;
const BLOCK_MS = 1000;
const POLL_MS = 1000;
const RETRY_MS = 500;
const CATCH_UP_MS = 3000;
/** Most stream entries one `/api/events` request scans for its channels. */
const SCAN_LIMIT = 50_000;

type Entry = { id: string; message: Record<string, string> };

export interface StreamLogOptions {
  /** Newest entries kept in memory for replays. */
  cacheEvents: number;
}

/**
 * An edge's view of the event log (docs/protocol.md §12): it follows the Redis
 * stream the core writes, hands each entry to the local bus in seq order (the
 * delivery pipeline fans out from there), and serves replays and `/api/events`
 * from a recent-events cache and the stream itself. A new edge starts at the
 * stream's head; its clients bring their own `since`.
 */
export class StreamLog implements LogReader {
  epoch = '';
  private delivered = 0;
  private head = 0;
  private oldest = 1;
  private readonly recent: LoggedEvent[] = [];
  private readonly waiters = new SeqWaiters(CATCH_UP_MS);
  private closed = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private reading: Promise<void> | null = null;
  /** The newest `system:status`, for the snapshot a `system` subscriber gets at once. */
  latestStatus: Record<string, unknown> | null = null;

  constructor(
    /** Reads the stream; blocks, so it is this log's own connection. */
    private readonly reader: Redis,
    private readonly redis: Redis,
    private readonly bus: EventBus,
    private readonly logger: Logger,
    private readonly options: StreamLogOptions,
  ) {}

  get seq(): number {
    return this.delivered;
  }

  /** Entries in the stream this edge has not delivered yet. */
  get lag(): number {
    return Math.max(0, this.head - this.delivered);
  }

  oldestSeq(): number {
    return Math.min(this.oldest, this.delivered + 1);
  }

  async start(): Promise<void> {
    await this.poll();
    this.delivered = this.head;
    const status = (await this.newest(['system'], 1)).at(-1);
    if (status?.event === 'system:status') this.latestStatus = status.payload;
    this.pollTimer = setInterval(() => void this.poll(), POLL_MS);
    this.pollTimer.unref();
    this.reading = this.readLoop();
  }

  /** The stream's epoch, head and oldest entry; a new epoch (the core's log was reset) starts over. */
  private async poll(): Promise<void> {
    try {
      const [epoch, last, first] = await Promise.all([
        this.redis.get(KEYS.epoch),
        this.redis.xRevRange(KEYS.stream, '+', '-', { COUNT: 1 }),
        this.redis.xRange(KEYS.stream, '-', '+', { COUNT: 1 }),
      ]);
      this.head = last?.[0] ? seqOfId(last[0].id) : 0;
      this.oldest = first?.[0] ? seqOfId(first[0].id) : this.head + 1;
      if (epoch !== null && epoch !== this.epoch) {
        if (this.epoch !== '') this.logger.warn({ from: this.epoch, to: epoch }, 'the core started a new event log epoch');
        this.epoch = epoch;
        // A new stream starts at seq 1: follow it from its start.
        this.delivered = 0;
        this.recent.length = 0;
      }
    } catch (err) {
      this.logger.debug({ err }, 'event stream poll failed');
    }
  }

  private async readLoop(): Promise<void> {
    while (!this.closed) {
      try {
        const reply = (await this.reader.xRead({ key: KEYS.stream, id: idOfSeq(this.delivered) }, { BLOCK: BLOCK_MS, COUNT: READ_COUNT })) as { messages: Entry[] }[] | null;
        for (const entry of reply?.[0]?.messages ?? []) this.deliver(entry);
      } catch (err) {
        if (this.closed) return;
        this.logger.debug({ err }, 'event stream read failed; retrying');
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    }
  }

  private deliver(entry: Entry): void {
    const e = toEvent(entry);
    if (e.seq <= this.delivered) return;
    this.delivered = e.seq;
    if (e.seq > this.head) this.head = e.seq;
    this.recent.push(e);
    if (this.recent.length > this.options.cacheEvents * 1.25) this.recent.splice(0, this.recent.length - this.options.cacheEvents);
    if (e.event === 'system:status') this.latestStatus = e.payload;
    this.bus.deliver(e.event, e.payload);
    this.waiters.reached(this.delivered);
  }

  catchUp(seq: number): Promise<void> {
    if (this.delivered >= seq || this.closed) return Promise.resolve();
    return this.waiters.wait(seq);
  }

  async chunk(afterSeq: number, throughSeq: number, max: number): Promise<LoggedEvent[]> {
    if (afterSeq >= throughSeq) return [];
    const first = this.recent[0];
    if (first && afterSeq >= first.seq - 1) {
      const out: LoggedEvent[] = [];
      for (let i = firstAfter(this.recent, afterSeq); i < this.recent.length && out.length < max; i++) {
        const e = this.recent[i]!;
        if (e.seq > throughSeq) break;
        out.push(e);
      }
      return out;
    }
    const entries = await this.redis.xRange(KEYS.stream, idOfSeq(afterSeq + 1), idOfSeq(throughSeq), { COUNT: max });
    return (entries ?? []).map(toEvent);
  }

  /** An upper bound (every channel): the stream is not indexed by channel. */
  countAfter(seq: number): number {
    return Math.max(0, this.delivered - Math.max(seq, this.oldest - 1));
  }

  async after(seq: number, channels: readonly string[], limit: number, eventNames?: readonly string[]): Promise<LoggedEvent[]> {
    const wanted = matcher(channels, eventNames);
    const out: LoggedEvent[] = [];
    let cursor = seq;
    let scanned = 0;
    while (out.length < limit && cursor < this.delivered && scanned < SCAN_LIMIT) {
      const events = await this.chunk(cursor, this.delivered, READ_COUNT);
      if (events.length === 0) break;
      scanned += events.length;
      for (const e of events) if (wanted(e) && out.length < limit) out.push(e);
      cursor = events.at(-1)!.seq;
    }
    return out;
  }

  async newest(channels: readonly string[], limit: number, eventNames?: readonly string[]): Promise<LoggedEvent[]> {
    const wanted = matcher(channels, eventNames);
    const out: LoggedEvent[] = [];
    let end = idOfSeq(this.delivered);
    let scanned = 0;
    while (out.length < limit && scanned < SCAN_LIMIT) {
      const entries = (await this.redis.xRevRange(KEYS.stream, end, '-', { COUNT: READ_COUNT })) ?? [];
      if (entries.length === 0) break;
      scanned += entries.length;
      for (const entry of entries) {
        const e = toEvent(entry);
        if (wanted(e) && out.length < limit) out.push(e);
      }
      end = `(${entries.at(-1)!.id}`;
    }
    return out.reverse();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.pollTimer);
    this.waiters.releaseAll();
    await this.reading?.catch(() => undefined);
  }
}

function toEvent(entry: Entry): LoggedEvent {
  const event = entry.message.e ?? '';
  return { seq: seqOfId(entry.id), event, channel: channelOf(event) ?? '', payload: JSON.parse(entry.message.p ?? '{}') as Record<string, unknown> };
}

/** Whether a logged event is on one of `channels` and, when `events` is given, one of those names. */
function matcher(channels: readonly string[], events?: readonly string[]): (e: LoggedEvent) => boolean {
  const onChannel = new Set(channels);
  const named = events && new Set(events);
  return (e) => onChannel.has(e.channel) && (!named || named.has(e.event));
}
