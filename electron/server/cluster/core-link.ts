import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { ProtocolError, type ErrorBody } from '../../../shared/protocol/errors';
import type { CommandName } from '../../../shared/protocol/command-table';
import type { CommandContext } from '../handlers/types';
import { replySchema, type ForwardBody, type Reply } from './messages';
import { KEYS, type Redis } from './redis';

/**
 * An edge's line to the core (docs/protocol.md §12): a forwarded command or REST
 * request is published on the core's channel, and its answer comes back on this
 * edge's own. No core listening (PUBLISH reaches nobody), Redis away, or no answer
 * in time: `unavailable`, and the client stays connected.
 */
export class CoreLink {
  private readonly pending = new Map<string, (reply: Reply | null) => void>();
  /** Whether the core listened to the last forward (health and metrics). */
  coreUp = false;

  constructor(
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    readonly node: string,
    private readonly timeoutMs: number,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    await this.subscriber.subscribe(KEYS.replies(this.node), (message) => this.onReply(message));
    await this.probe();
  }

  /**
   * Asks Redis whether a core is listening, without sending anything. A core that went away
   * will not answer what it was sent: those callers hear `unavailable` now, not at the timeout.
   */
  async probe(): Promise<boolean> {
    try {
      const counts = (await this.redis.pubSubNumSub(KEYS.commands)) as Record<string, number>;
      this.coreUp = (counts[KEYS.commands] ?? 0) > 0;
    } catch {
      this.coreUp = false;
    }
    if (!this.coreUp) for (const settle of [...this.pending.values()]) settle(null);
    return this.coreUp;
  }

  async command(name: CommandName, payload: unknown, ctx: CommandContext): Promise<{ result: unknown; seq: number }> {
    const ctxOut = { userId: ctx.userId, tokenId: ctx.tokenId, principal: ctx.principal, scopes: [...ctx.scopes], transport: ctx.transport };
    const reply = await this.send({ kind: 'command', name, payload, ctx: ctxOut });
    const error = (reply.result as { error?: ErrorBody } | undefined)?.error;
    if (error) throw new ProtocolError(error.code, error.message, error.details);
    return { result: reply.result, seq: reply.seq };
  }

  async send(body: ForwardBody): Promise<Reply> {
    const id = randomUUID();
    const answered = new Promise<Reply | null>((resolve) => {
      const timer = setTimeout(() => settle(null), this.timeoutMs);
      const settle = (reply: Reply | null) => {
        clearTimeout(timer);
        this.pending.delete(id);
        resolve(reply);
      };
      this.pending.set(id, settle);
    });
    let listeners: number;
    try {
      listeners = await this.redis.publish(KEYS.commands, JSON.stringify({ ...body, id, node: this.node }));
    } catch (err) {
      this.pending.get(id)?.(null);
      this.log.debug({ err }, 'forward failed');
      throw new ProtocolError('unavailable', 'the cluster store (Redis) is unreachable; try again shortly');
    }
    this.coreUp = listeners > 0;
    if (listeners === 0) {
      this.pending.get(id)?.(null);
      throw new ProtocolError('unavailable', 'the core node is not running; try again shortly');
    }
    const reply = await answered;
    if (!reply) throw new ProtocolError('unavailable', `the core node did not answer (it stopped, or took over ${this.timeoutMs / 1000} s); try again shortly`);
    return reply;
  }

  private onReply(message: string): void {
    let reply: Reply;
    try {
      reply = replySchema.parse(JSON.parse(message));
    } catch {
      return;
    }
    this.pending.get(reply.id)?.(reply);
  }

  close(): void {
    for (const settle of [...this.pending.values()]) settle(null);
  }
}
