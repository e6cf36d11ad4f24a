import type { Logger } from 'pino';
import type { EventBus } from '../../engines/bus';
import { StartupError } from '../../store/startup-error';
import type { EventLog } from '../log/event-log';
import { idOfSeq, KEYS, seqOfId, type Redis } from './redis';
import { SeqWaiters } from './seq-waiters';

const BATCH = 512;
const RETRY_MS = 500;
const TRIM_MS = 60_000;
/** A forwarded command's answer waits at most this long for its events to reach the stream. */
const WAIT_MS = 5000;

/**
 * The core's copy of its event log into the Redis stream (docs/protocol.md §12). It
 * pulls from the log rather than from the bus, so the stream gets every
 * committed event in seq order with no gap, after a Redis outage or a core crash
 * between commit and copy alike: on start it carries on after the stream's newest entry.
 */
export class StreamWriter {
  private written = 0;
  private pumping = false;
  private relocate = false;
  private again = false;
  private closed = false;
  private unsubscribe: (() => void) | null = null;
  private retryTimer: NodeJS.Timeout | undefined;
  private trimTimer: NodeJS.Timeout | undefined;
  private readonly waiters = new SeqWaiters(WAIT_MS);

  constructor(
    private readonly redis: Redis,
    private readonly log: EventLog,
    private readonly bus: EventBus,
    private readonly logger: Logger,
  ) {}

  /** Entries the stream still lacks (the `lag` of the core's health and metrics). */
  get lag(): number {
    return Math.max(0, this.log.seq - this.written);
  }

  async start(): Promise<void> {
    await this.locate();
    if (this.written > this.log.seq) {
      throw new StartupError(
        'Redis stream',
        `it holds seq ${this.written} of epoch ${this.log.epoch}, past this store's newest (${this.log.seq}); seqs would be reused`,
        'Was the store restored from an older backup? Delete the stream key zenflow:log:epoch to start a new epoch in Redis.',
      );
    }
    // Redis may come back empty (restarted without persistence): look again before copying on.
    this.redis.on('ready', () => {
      this.relocate = true;
    });
    this.unsubscribe = this.bus.subscribe(() => this.pump());
    this.retryTimer = setInterval(() => this.pump(), RETRY_MS);
    this.retryTimer.unref();
    this.trimTimer = setInterval(() => void this.trim(), TRIM_MS);
    this.trimTimer.unref();
    await this.pumpNow();
  }

  /** Resolves once the stream holds `seq` (or after a few seconds, should Redis be away). */
  waitFor(seq: number): Promise<void> {
    if (this.written >= seq || this.closed) return Promise.resolve();
    return this.waiters.wait(seq);
  }

  /**
   * Where the stream stands: a stream of another epoch, or none (a new Redis, or one that
   * lost its data), starts over under this log's epoch and is refilled from what the log retains.
   */
  private async locate(): Promise<void> {
    const epoch = await this.redis.get(KEYS.epoch);
    if (epoch !== this.log.epoch) {
      await this.redis.multi().del(KEYS.stream).set(KEYS.epoch, this.log.epoch).exec();
      this.written = 0;
    } else {
      const [last] = (await this.redis.xRevRange(KEYS.stream, '+', '-', { COUNT: 1 })) ?? [];
      this.written = last ? seqOfId(last.id) : 0;
    }
  }

  private pump(): void {
    void this.pumpNow();
  }

  private async pumpNow(): Promise<void> {
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      if (this.relocate) {
        await this.locate();
        this.relocate = false;
      }
      do {
        this.again = false;
        while (!this.closed && this.written < this.log.seq) {
          const events = this.log.chunk(this.written, this.log.seq, BATCH);
          if (events.length === 0) break;
          const batch = this.redis.multi();
          for (const e of events) batch.xAdd(KEYS.stream, idOfSeq(e.seq), { e: e.event, p: JSON.stringify(e.payload) });
          await batch.exec();
          this.written = events.at(-1)!.seq;
          this.waiters.reached(this.written);
        }
      } while (this.again && !this.closed);
    } catch (err) {
      // Redis is away: the retry timer carries on from `written` once it is back.
      this.logger.debug({ err }, 'event stream copy paused');
    } finally {
      this.pumping = false;
    }
  }

  /** The stream keeps what the log keeps (its retention, docs/protocol.md §10). */
  private async trim(): Promise<void> {
    try {
      await this.redis.xTrim(KEYS.stream, 'MINID', idOfSeq(this.log.oldestSeq()), { strategyModifier: '~' });
    } catch (err) {
      this.logger.debug({ err }, 'event stream trim skipped');
    }
  }

  close(): void {
    this.closed = true;
    this.unsubscribe?.();
    clearInterval(this.retryTimer);
    clearInterval(this.trimTimer);
    this.waiters.releaseAll();
  }
}
