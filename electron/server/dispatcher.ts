import type { Logger } from 'pino';
import { COMMANDS, type CommandArgs, type CommandName } from '../../shared/protocol/command-table';
import { HTTP_STATUS, ProtocolError, type ErrorResponse } from '../../shared/protocol/errors';
import type { EventPayload } from '../../shared/protocol/events';
import type { CommandResult } from '../../shared/protocol/results';
import type { RequestSink } from '../engines';
import type { EventBus } from '../engines/bus';
import type { CommandContext, CommandHandler, CommandHandlers } from './handlers/types';
import type { RequestBudget } from './security/request-budget';
import type { GroupCommit } from '../store/group-commit';
import { storageError } from '../store/storage-error';
import { parseOrThrow } from './validation';

/**
 * Runs a command the same way for a socket and for REST: permission → schema →
 * handler, after the transport charged the caller's budget. A command either fully happens or is refused with the
 * docs/protocol.md §4 error; nothing a client sends can throw past here.
 */
export class CommandDispatcher {
  constructor(
    private readonly handlers: CommandHandlers,
    private readonly deps: {
      budget: RequestBudget;
      bus: EventBus;
      log: Logger;
      observer?: Pick<RequestSink, 'recordRequest'>;
      /** Sends `api:rate:limit` straight to the limited socket. */
      notifySocket?: (socketId: string, event: 'api:rate:limit', payload: EventPayload<'api:rate:limit'>) => void;
      /** Acks wait for a shared fsync on the thread pool instead of each commit syncing on the event loop. */
      groupCommit?: GroupCommit;
    },
  ) {}

  /** Charges one request to the caller's budget; throws rate_limited past it. */
  charge(key: string, ctx: { socketId?: string; label: string }): { retryAfterMs: number } {
    const r = this.deps.budget.take(key);
    if (r.warning || r.firstLimited) {
      const severity = r.allowed ? 'warning' : 'critical';
      const payload = this.deps.bus.publish('api:rate:limit', {
        clientId: ctx.label,
        currentRequests: r.count,
        limit: r.limit,
        window: '1m',
        severity,
        limited: !r.allowed,
      });
      if (ctx.socketId) this.deps.notifySocket?.(ctx.socketId, 'api:rate:limit', payload);
    }
    if (!r.allowed) {
      throw new ProtocolError('rate_limited', `request budget of ${r.limit}/min exceeded; retry in ${Math.ceil(r.retryAfterMs / 1000)} s`, {
        retryAfterMs: r.retryAfterMs,
      });
    }
    return { retryAfterMs: 0 };
  }

  /** How long `key` must wait before its next request is allowed; 0 when it may go now. */
  blockedFor(key: string): number {
    return this.deps.budget.blockedFor(key);
  }

  /** Validates, checks the scope and runs the handler. Throws ProtocolError on refusal. */
  async invoke<C extends CommandName>(name: C, payload: unknown, ctx: CommandContext): Promise<CommandResult<C>> {
    const entry = COMMANDS[name];
    if (entry.scope && !ctx.scopes.has(entry.scope)) {
      throw new ProtocolError('forbidden', `${name} needs the ${entry.scope} permission`, { required: entry.scope });
    }
    const args = parseOrThrow(entry.schema, payload);
    const handler: CommandHandler<C> | undefined = this.handlers[name];
    if (!handler) throw new ProtocolError('unavailable', `${name} is not available on this server`);
    const { bus, groupCommit } = this.deps;
    const unsynced = <T>(fn: () => T): { result: T; durable: Promise<void> } => groupCommit?.run(fn) ?? { result: fn(), durable: Promise.resolve() };
    try {
      const mark = bus.mark();
      const started = unsynced(() => handler(args as CommandArgs<C>, ctx));
      // Awaited below; a handler that fails first must not leave it unhandled.
      started.durable.catch(() => undefined);
      const result = await started.result;
      // The events a command caused are in the log, and on disk, before its ack (docs/protocol.md §10),
      // whichever commit wrote them (an async handler's may have gone out with the log's per-turn commit);
      // a read waits for no one.
      let logged: Promise<void> | undefined;
      if (bus.mark() > mark) {
        if (bus.hasStaged()) {
          if (groupCommit) groupCommit.unsynced(() => bus.flush());
          else bus.flush();
        }
        logged = groupCommit?.durable();
      }
      await Promise.all([started.durable, logged]);
      return result;
    } catch (err) {
      // A write the store refused (a full disk) is `unavailable`, saying why; nothing was applied.
      throw storageError(err) ?? err;
    }
  }

  /** The socket path: `(payload?, ack?)` with the ack always last (docs/protocol.md §4); the socket layer has charged the budget. */
  async fromSocket(name: CommandName, args: unknown[], ctx: CommandContext): Promise<void> {
    const ack = typeof args.at(-1) === 'function' ? (args.pop() as (result: unknown) => void) : undefined;
    const started = performance.now();
    let status = 200;
    let result: unknown;
    try {
      result = await this.invoke(name, args[0], ctx);
    } catch (err) {
      const body = this.toErrorResponse(err, name);
      status = HTTP_STATUS[body.error.code];
      result = body;
    }
    this.deps.observer?.recordRequest({ endpoint: `socket:${name}`, method: 'EMIT', status, durationMs: performance.now() - started });
    try {
      ack?.(result ?? {});
    } catch (err) {
      this.deps.log.warn({ err, command: name }, 'ack failed');
    }
  }

  toErrorResponse(err: unknown, name: string): ErrorResponse {
    if (err instanceof ProtocolError) return { error: err.toBody() };
    this.deps.log.error({ err, command: name }, 'command failed');
    return { error: { code: 'internal', message: `${name} failed on the server` } };
  }
}
