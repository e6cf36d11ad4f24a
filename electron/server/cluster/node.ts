import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { RequestSink } from '../../engines';
import type { EventBus } from '../../engines/bus';
import type { Db } from '../../store/database';
import type { CommandDispatcher } from '../dispatcher';
import type { EventLog } from '../log/event-log';
import { CoreLink } from './core-link';
import { CoreResponder } from './core-responder';
import type { AuthNotifier } from '../handlers/auth';
import { ClusterNotifier } from './notifier';
import { connectRedis, type Redis } from './redis';
import { StreamLog } from './stream-log';
import { StreamWriter } from './stream-writer';
import type { ClusterRole, ClusterStatus } from '../../../shared/protocol/rest';
import { ReplicatedTokensRepo } from './token-replica';

/** What health and /metrics show of a node (README: reading the per-node metrics). */
/**
 * One node's membership of a cluster (docs/protocol.md §12): its Redis connections,
 * the shared token records, and — by role — the core's stream writer and
 * command responder or the edge's stream follower and line to the core.
 */
export class ClusterNode {
  readonly node: string;
  readonly tokens: ReplicatedTokensRepo;
  private writer: StreamWriter | null = null;
  private streamLog: StreamLog | null = null;
  private link: CoreLink | null = null;
  private probeTimer: NodeJS.Timeout | undefined;
  private notices: ClusterNotifier | null = null;

  private constructor(
    readonly role: ClusterRole,
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    private readonly reader: Redis | null,
    db: Db,
    private readonly log: Logger,
  ) {
    this.node = `${role}-${randomUUID().slice(0, 8)}`;
    this.tokens = new ReplicatedTokensRepo(db, redis, subscriber, this.node, log);
  }

  static async connect(url: string, role: ClusterRole, db: Db, log: Logger): Promise<ClusterNode> {
    const clog = log.child({ component: 'cluster', role });
    const redis = await connectRedis(url, clog, 'commands');
    const opened: Redis[] = [redis];
    try {
      opened.push(await connectRedis(url, clog, 'subscriber'));
      if (role === 'edge') opened.push(await connectRedis(url, clog, 'stream reader'));
    } catch (err) {
      for (const c of opened) c.destroy();
      throw err;
    }
    return new ClusterNode(role, redis, opened[1]!, opened[2] ?? null, db, clog);
  }

  /** The edge's event log: the Redis stream, delivered onto the local bus. */
  edgeLog(bus: EventBus, cacheEvents: number): StreamLog {
    this.streamLog ??= new StreamLog(this.reader!, this.redis, bus, this.log, { cacheEvents });
    return this.streamLog;
  }

  edgeLink(timeoutMs: number): CoreLink {
    this.link ??= new CoreLink(this.redis, this.subscriber, this.node, timeoutMs, this.log);
    return this.link;
  }

  /** Auth notifications that reach sockets on every node, not only this one's. */
  notifier(local: AuthNotifier): ClusterNotifier {
    this.notices ??= new ClusterNotifier(local, this.redis, this.subscriber, this.node);
    return this.notices;
  }

  /** Core: copy the log into the stream, then take forwarded work. */
  async startCore(deps: { eventLog: EventLog; bus: EventBus; dispatcher: CommandDispatcher; app: FastifyInstance; observer: Pick<RequestSink, 'recordRequest'> }): Promise<void> {
    await this.notices?.start();
    this.writer = new StreamWriter(this.redis, deps.eventLog, deps.bus, this.log);
    await this.writer.start();
    const { dispatcher, app, observer } = deps;
    await new CoreResponder(this.redis, this.subscriber, { dispatcher, app, observer, log: deps.eventLog, writer: this.writer, logger: this.log }).start();
  }

  /** Edge: follow the stream and the core's liveness. */
  async startEdge(): Promise<void> {
    await this.notices?.start();
    await this.streamLog!.start();
    await this.link!.start();
    this.probeTimer = setInterval(() => void this.link!.probe(), 1000);
    this.probeTimer.unref();
  }

  status(): ClusterStatus {
    const redis = this.redis.isReady ? 'up' : 'down';
    if (this.role === 'core') return { role: 'core', node: this.node, lag: this.writer?.lag ?? 0, redis };
    return { role: 'edge', node: this.node, lag: this.streamLog?.lag ?? 0, redis, core: this.link?.coreUp ? 'up' : 'down' };
  }

  async close(): Promise<void> {
    clearInterval(this.probeTimer);
    this.tokens.close();
    this.writer?.close();
    this.link?.close();
    const reading = this.streamLog?.close();
    for (const c of [this.reader, this.subscriber, this.redis]) c?.destroy();
    await reading;
  }
}
