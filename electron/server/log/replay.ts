import { isChannel } from '../../../shared/protocol/channels';
import { ProtocolError } from '../../../shared/protocol/errors';
import { passesSubscription } from '../../../shared/protocol/filters';
import type { Recovery } from '../../../shared/protocol/models';
import type { DeliveryPipeline } from '../delivery/pipeline';
import type { SocketSession } from '../socket/session';
import type { LoggedEvent } from '../../store/event-log-repo';
import type { LogReader } from './log-reader';

export interface ReplayOptions {
  /** Most events one resume may replay; a longer gap answers `recovered: false` ('expired'). */
  replayLimit: number;
  /** Live events one socket may have waiting while its replay runs; past it the socket is disconnected. */
  holdLimit?: number;
  /** Events one replay sends at a time. */
  chunk?: number;
  /** Chunks sent per event-loop turn across all replays, so a reconnect storm leaves room for live traffic and commands. */
  chunksPerTurn?: number;
}

/**
 * Resume (docs/protocol.md §10): sends a socket every logged event it missed after
 * `since`, through its current permissions and filters, in seq order, while its
 * live events wait; then the waiting ones newer than the replay go out, so there
 * is no gap and no duplicate. Events a still-subscribed socket already had live
 * (`hadLive`) are left out. Reads come from the log's shared caches.
 */
export class Replayer {
  private readonly active = new Set<SocketSession>();
  /** Each logged event's Socket.IO frame, encoded once for every socket that replays it. */
  private readonly frames = new WeakMap<LoggedEvent, unknown[]>();
  private readonly waiting: (() => void)[] = [];
  private pumpQueued = false;

  constructor(
    private readonly log: LogReader,
    private readonly pipeline: DeliveryPipeline,
    private readonly encoder: Encoder,
    private readonly options: ReplayOptions,
  ) {}

  /** Call right after the subscription is applied, in the same turn. */
  async resume(session: SocketSession, since: { epoch: string; seq: number }, hadLive: (e: LoggedEvent) => boolean = () => false): Promise<Recovery> {
    const log = this.log;
    if (since.epoch === log.epoch && since.seq > log.seq && log.catchUp) return this.catchUp(session, since.seq, log.catchUp.bind(log));
    const oldestSeq = log.oldestSeq();
    if (since.epoch !== log.epoch || since.seq > log.seq) return { recovered: false, reason: 'epoch_changed', oldestSeq };
    if (since.seq < oldestSeq - 1) return { recovered: false, reason: 'expired', oldestSeq };
    if (this.active.has(session)) throw new ProtocolError('conflict', 'a resume is already running on this socket');
    const toSeq = log.seq;
    const channels = [...session.subscriptions.keys()].filter((c) => session.canRead(c));
    if (toSeq - since.seq > this.options.replayLimit && (await log.countAfter(since.seq, channels)) > this.options.replayLimit) {
      return { recovered: false, reason: 'expired', oldestSeq: toSeq - this.options.replayLimit + 1 };
    }
    this.active.add(session);
    this.pipeline.holdLive(session, this.options.holdLimit ?? 10_000, () => session.socket.disconnect(true));
    let replayed = 0;
    try {
      let cursor = since.seq;
      const chunk = this.options.chunk ?? 256;
      while (cursor < toSeq && session.socket.connected) {
        await this.slot();
        const events = await log.chunk(cursor, toSeq, chunk);
        if (events.length === 0) break;
        for (const e of events) {
          if (!isChannel(e.channel) || !session.canRead(e.channel)) continue;
          const sub = session.subscriptions.get(e.channel);
          if (!sub || !passesSubscription(e.channel, sub, e.event, e.payload) || hadLive(e)) continue;
          this.send(session, e);
          replayed++;
        }
        cursor = events.at(-1)!.seq;
      }
    } finally {
      this.active.delete(session);
      this.pipeline.release(session, toSeq);
    }
    return { recovered: true, replayed, fromSeq: since.seq + 1, toSeq };
  }

  /**
   * A client coming from a cluster edge that was ahead of this one (docs/protocol.md §12): its live
   * events wait while this edge delivers up to where the client was; the ones after that go out.
   */
  private async catchUp(session: SocketSession, seq: number, catchUp: (seq: number) => Promise<void>): Promise<Recovery> {
    const from = this.log.seq;
    this.pipeline.holdLive(session, this.options.holdLimit ?? 10_000, () => session.socket.disconnect(true));
    await catchUp(seq);
    const caughtUp = this.log.seq >= seq;
    const replayed = this.pipeline.release(session, caughtUp ? seq : from);
    if (!caughtUp) return { recovered: false, reason: 'epoch_changed', oldestSeq: this.log.oldestSeq() };
    return { recovered: true, replayed, fromSeq: seq + 1, toSeq: this.log.seq };
  }

  /** Resolves when this replay may send its next chunk: a few per event-loop turn, first come first served. */
  private slot(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      if (this.pumpQueued) return;
      this.pumpQueued = true;
      setImmediate(() => this.pump());
    });
  }

  private pump(): void {
    this.pumpQueued = false;
    for (const resolve of this.waiting.splice(0, this.options.chunksPerTurn ?? 8)) resolve();
    if (this.waiting.length > 0 && !this.pumpQueued) {
      this.pumpQueued = true;
      setImmediate(() => this.pump());
    }
  }

  /** Writes the pre-encoded frame, as Socket.IO's own broadcast does, so a storm of resumes encodes each event once. */
  private send(session: SocketSession, e: LoggedEvent): void {
    let frame = this.frames.get(e);
    if (!frame) {
      frame = this.encoder.encode({ type: EVENT_PACKET, data: [e.event, e.payload], nsp: '/' });
      this.frames.set(e, frame);
    }
    (session.socket.client as unknown as EngineWriter).writeToEngine(frame, { preEncoded: true });
    if (session.tracksBandwidth) session.countBroadcast(typeof frame[0] === 'string' ? frame[0].length : 0);
  }
}

/** socket.io-parser's EVENT packet type. */
const EVENT_PACKET = 2;
/** The encoder of the Socket.IO server (`io.encoder`). */
export type Encoder = { encode(packet: { type: number; data: unknown[]; nsp: string }): unknown[] };
type EngineWriter = { writeToEngine(frames: unknown[], opts: { preEncoded: boolean }): void };
