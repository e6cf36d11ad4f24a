import { ProtocolError } from '../../../shared/protocol/errors';
import type { Filter } from '../../../shared/protocol/filters';
import type { LogPosition, Recovery } from '../../../shared/protocol/models';
import type { SessionRegistry } from '../delivery/registry';
import { parseFilter, subscribeExclusions, subscribeTargets, subscriptionState } from '../delivery/subscriptions';
import type { CommandContext, CommandHandlers } from '../handlers/types';
import type { SocketSession } from './session';

/** Commands that shape one socket's own delivery (PROTOCOL.md §5–6); they only exist over a socket. */
/** Replays what a socket missed (PROTOCOL.md §9); absent on servers without an event log. */
export type Resume = (session: SocketSession, since: LogPosition) => Promise<Recovery>;

export function sessionCommands(
  registry: SessionRegistry,
  onSubscribe: (session: SocketSession, channels: string[]) => void,
  resume?: Resume,
): CommandHandlers {
  const sessionOf = (ctx: CommandContext): SocketSession => {
    const session = ctx.socketId ? registry.get(ctx.socketId) : undefined;
    if (!session) throw new ProtocolError('unavailable', 'this command only exists on a socket connection');
    return session;
  };
  const done = (session: SocketSession) => {
    registry.reindex(session);
    return subscriptionState(session.subscriptions);
  };

  return {
    subscribe: async (spec, ctx) => {
      const session = sessionOf(ctx);
      const targets = subscribeTargets(spec);
      const exclusions = subscribeExclusions(spec);
      for (const [channel, filter] of targets) {
        const existing = session.subscriptions.get(channel);
        const exclude = exclusions.get(channel) ?? (filter ? [] : (existing?.exclude ?? []));
        session.subscriptions.set(channel, { filter: filter ?? existing?.filter ?? {}, exclude });
      }
      const state = done(session);
      const since = typeof spec === 'object' && !Array.isArray(spec) ? spec.since : undefined;
      if (!since) {
        onSubscribe(session, [...targets.keys()]);
        return state;
      }
      if (!resume) throw new ProtocolError('unavailable', 'this server keeps no event log to resume from');
      // The replay includes any status the socket missed; a snapshot would repeat one it already has.
      return { ...state, recovery: await resume(session, since) };
    },
    unsubscribe: (spec, ctx) => {
      const session = sessionOf(ctx);
      for (const channel of subscribeTargets(spec).keys()) session.subscriptions.delete(channel);
      return done(session);
    },
    'subscribe:filtered': ({ category, filter }, ctx) => {
      const session = sessionOf(ctx);
      const parsed = parseFilter(category, filter, ['filter']);
      session.subscriptions.set(category, { filter: parsed, exclude: [] });
      const state = done(session);
      onSubscribe(session, [category]);
      return state;
    },
    'subscription:update': ({ action, category, filter }, ctx) => {
      const session = sessionOf(ctx);
      const parsed: Filter | undefined = filter === undefined ? undefined : parseFilter(category, filter, ['filter']);
      const existing = session.subscriptions.get(category);
      if (action === 'add') {
        session.subscriptions.set(category, { filter: parsed ?? existing?.filter ?? {}, exclude: existing?.exclude ?? [] });
        const state = done(session);
        if (!existing) onSubscribe(session, [category]);
        return state;
      }
      if (parsed === undefined || Object.keys(parsed).length === 0) session.subscriptions.delete(category);
      else if (existing) existing.exclude.push(parsed);
      else throw new ProtocolError('conflict', `not subscribed to ${category}; nothing to exclude from`);
      return done(session);
    },
    'configure:batching': (config, ctx) => {
      const session = sessionOf(ctx);
      session.configureBatching(config.enabled, config);
      return { batching: session.batching ? { enabled: true, ...session.batching } : { enabled: false } };
    },
    'configure:rate-limit': (limits, ctx) => {
      const session = sessionOf(ctx);
      for (const [event, limit] of Object.entries(limits)) session.setRateLimit(event, limit?.maxPerSecond ?? null);
      return { rateLimits: session.rateLimitConfig };
    },
    'enable:performance:tracking': (opts, ctx) => {
      const session = sessionOf(ctx);
      session.enablePerformanceTracking(opts.enabled ? opts : null);
      return { tracking: opts.enabled ? opts : { enabled: false } };
    },
  };
}
