import { ProtocolError } from '../../../shared/protocol/errors';
import type { Filter } from '../../../shared/protocol/filters';
import type { SessionRegistry } from '../delivery/registry';
import { parseFilter, subscribeTargets, subscriptionState } from '../delivery/subscriptions';
import type { CommandContext, CommandHandlers } from '../handlers/types';
import type { SocketSession } from './session';

/** Commands that shape one socket's own delivery (PROTOCOL.md §5–6); they only exist over a socket. */
export function sessionCommands(registry: SessionRegistry, onSubscribe: (session: SocketSession, channels: string[]) => void): CommandHandlers {
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
    subscribe: (spec, ctx) => {
      const session = sessionOf(ctx);
      const targets = subscribeTargets(spec);
      for (const [channel, filter] of targets) {
        const existing = session.subscriptions.get(channel);
        session.subscriptions.set(channel, { filter: filter ?? existing?.filter ?? {}, exclude: filter ? [] : (existing?.exclude ?? []) });
      }
      const state = done(session);
      onSubscribe(session, [...targets.keys()]);
      return state;
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
