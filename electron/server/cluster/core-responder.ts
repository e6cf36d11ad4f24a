import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { COMMAND_NAMES, type CommandName } from '../../../shared/protocol/command-table';
import { HTTP_STATUS } from '../../../shared/protocol/errors';
import type { RequestSink } from '../../engines';
import { expandPermissions } from '../../../shared/protocol/permissions';
import type { CommandDispatcher } from '../dispatcher';
import type { EventLog } from '../log/event-log';
import { forwardSchema, type Forward, type Reply } from './messages';
import { KEYS, type Redis } from './redis';
import type { StreamWriter } from './stream-writer';

const COMMAND_SET = new Set<string>(COMMAND_NAMES);

/**
 * The core's side of forwarding (docs/protocol.md §12): runs what edges send through
 * the same dispatcher and routes as its own clients, and answers only once the
 * events the command caused are in the Redis stream, so an edge can deliver them
 * before the ack, as a single node does. Edges authenticated the caller and
 * charged its budget; the scopes they pass are checked again here.
 */
export class CoreResponder {
  constructor(
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    private readonly deps: {
      dispatcher: CommandDispatcher;
      app: FastifyInstance;
      log: EventLog;
      writer: StreamWriter;
      logger: Logger;
      observer: Pick<RequestSink, 'recordRequest'>;
    },
  ) {}

  async start(): Promise<void> {
    await this.subscriber.subscribe(KEYS.commands, (message) => void this.handle(message));
  }

  private async handle(message: string): Promise<void> {
    let forward: Forward;
    try {
      forward = forwardSchema.parse(JSON.parse(message));
    } catch {
      this.deps.logger.warn('ignored a malformed forwarded request');
      return;
    }
    const answer = forward.kind === 'command' ? await this.command(forward) : await this.rest(forward);
    await this.deps.writer.waitFor(this.deps.log.seq);
    const reply: Reply = { id: forward.id, seq: this.deps.log.seq, ...answer };
    try {
      await this.redis.publish(KEYS.replies(forward.node), JSON.stringify(reply));
    } catch (err) {
      this.deps.logger.warn({ err }, 'answer to an edge lost: Redis unreachable');
    }
  }

  private async command(f: Extract<Forward, { kind: 'command' }>): Promise<Partial<Reply>> {
    const { dispatcher } = this.deps;
    if (!COMMAND_SET.has(f.name)) return { result: { error: { code: 'invalid_argument', message: `unknown command ${f.name}` } } };
    const name = f.name as CommandName;
    const scopes = expandPermissions(f.ctx.scopes);
    const started = performance.now();
    let result: unknown;
    let status = 200;
    try {
      result = (await dispatcher.invoke(name, f.payload, { ...f.ctx, scopes })) ?? {};
    } catch (err) {
      const body = dispatcher.toErrorResponse(err, name);
      status = HTTP_STATUS[body.error.code];
      result = body;
    }
    // The API metrics count an edge's commands as the core's own (REST comes through its routes).
    this.deps.observer.recordRequest({ endpoint: `socket:${name}`, method: 'EMIT', status, durationMs: performance.now() - started });
    return { result };
  }

  private async rest(f: Extract<Forward, { kind: 'rest' }>): Promise<Partial<Reply>> {
    const res = await this.deps.app.inject({
      method: f.method,
      url: f.url,
      // The edge checked Host and Origin against its own policy.
      headers: { ...f.headers, host: '127.0.0.1' },
      remoteAddress: f.remoteAddress,
      ...(f.body === undefined ? {} : { payload: f.body }),
    });
    const type = res.headers['content-type'];
    return { status: res.statusCode, body: res.payload, ...(typeof type === 'string' ? { contentType: type } : {}) };
  }
}
