import { ProtocolError } from '../../../shared/protocol/errors';
import type { Channel } from '../../../shared/protocol/channels';
import { passesSubscription, type Filter } from '../../../shared/protocol/filters';
import type { LogPosition, Recovery } from '../../../shared/protocol/models';
import type { SessionRegistry } from '../delivery/registry';
import type { LoggedEvent } from '../../store/event-log-repo';
import { parseFilter, subscribeExclusions, subscribeTargets, subscriptionState, type Subscription } from '../delivery/subscriptions';
import type { CommandContext, HandlersFor } from '../handlers/types';
import type { SocketSession } from './session';

/** Per-socket bounds on delivery state, so that acks (which echo it) and matching stay small. */
export const SESSION_LIMITS = { exclusionsPerChannel: 16, filterValues: 1000, rateLimitedEvents: 64 } as const;

const valuesIn = (f: Filter): number => Object.values(f).reduce<number>((n, v) => n + (Array.isArray(v) ? v.length : 1), 0);
const valuesOf = (sub: Subscription): number => valuesIn(sub.filter) + sub.exclude.reduce((n, e) => n + valuesIn(e), 0);

/** Applies subscription changes all together, or none of them when they would pass the bounds. */
function applySubscriptions(session: SocketSession, changes: ReadonlyMap<Channel, Subscription>): void {
  let total = 0;
  for (const [channel, sub] of session.subscriptions) if (!changes.has(channel)) total += valuesOf(sub);
  for (const sub of changes.values()) total += valuesOf(sub);
  if (total > SESSION_LIMITS.filterValues) {
    throw new ProtocolError('invalid_argument', `a socket's filters and exclusions may hold at most ${SESSION_LIMITS.filterValues} values in all; this would make ${total}`);
  }
  for (const [channel, sub] of changes) session.subscriptions.set(channel, sub);
}

/** Replays what a socket missed (docs/protocol.md §10), leaving out what `hadLive` says it already received; absent on servers without an event log. */
export type Resume = (session: SocketSession, since: LogPosition, hadLive: (e: LoggedEvent) => boolean) => Promise<Recovery>;

type SessionCommandName =
  'subscribe' | 'unsubscribe' | 'subscribe:filtered' | 'subscription:update' | 'configure:batching' | 'configure:rate-limit' | 'enable:performance:tracking';

/** Commands that shape one socket's own delivery (docs/protocol.md §5–6); they only exist over a socket. */
export function sessionCommands(
  registry: SessionRegistry,
  onSubscribe: (session: SocketSession, channels: string[]) => void,
  resume?: Resume,
  /** The newest committed seq of the event log, when there is one. */
  logSeq: () => number = () => 0,
): HandlersFor<SessionCommandName> {
  const sessionOf = (ctx: CommandContext): SocketSession => {
    const session = ctx.socketId ? registry.get(ctx.socketId) : undefined;
    if (!session) throw new ProtocolError('unavailable', 'this command only exists on a socket connection');
    return session;
  };
  const done = (session: SocketSession) => {
    registry.reindex(session);
    session.regroup();
    for (const channel of session.liveSince.keys()) if (!session.subscriptions.has(channel)) session.liveSince.delete(channel);
    for (const channel of session.subscriptions.keys()) if (!session.liveSince.has(channel)) session.liveSince.set(channel, logSeq());
    return subscriptionState(session.subscriptions);
  };

  return {
    subscribe: async (spec, ctx) => {
      const session = sessionOf(ctx);
      const targets = subscribeTargets(spec);
      const exclusions = subscribeExclusions(spec);
      const changes = new Map<Channel, Subscription>();
      // What went out live so far: a resume on a socket that stayed subscribed must not send it again.
      const live = new Map([...session.subscriptions].map(([channel, sub]) => [channel, { sub, from: session.liveSince.get(channel) ?? Infinity }]));
      const hadLive = (e: LoggedEvent): boolean => {
        const was = live.get(e.channel as Channel);
        return was !== undefined && e.seq > was.from && passesSubscription(e.channel as Channel, was.sub, e.event, e.payload);
      };
      for (const [channel, filter] of targets) {
        const existing = session.subscriptions.get(channel);
        const exclude = exclusions.get(channel) ?? (filter ? [] : (existing?.exclude ?? []));
        if (exclude.length > SESSION_LIMITS.exclusionsPerChannel) {
          throw new ProtocolError('invalid_argument', `a channel may have at most ${SESSION_LIMITS.exclusionsPerChannel} exclusions`);
        }
        changes.set(channel, { filter: filter ?? existing?.filter ?? {}, exclude });
      }
      applySubscriptions(session, changes);
      const state = done(session);
      const since = typeof spec === 'object' && !Array.isArray(spec) ? spec.since : undefined;
      if (!since) {
        onSubscribe(session, [...targets.keys()]);
        return state;
      }
      if (!resume) throw new ProtocolError('unavailable', 'this server keeps no event log to resume from');
      // The replay includes any status the socket missed; a snapshot would repeat one it already has.
      return { ...state, recovery: await resume(session, since, hadLive) };
    },
    unsubscribe: (spec, ctx) => {
      const session = sessionOf(ctx);
      for (const channel of subscribeTargets(spec).keys()) session.subscriptions.delete(channel);
      return done(session);
    },
    'subscribe:filtered': ({ category, filter }, ctx) => {
      const session = sessionOf(ctx);
      const parsed = parseFilter(category, filter, ['filter']);
      applySubscriptions(session, new Map([[category, { filter: parsed, exclude: [] }]]));
      const state = done(session);
      onSubscribe(session, [category]);
      return state;
    },
    'subscription:update': ({ action, category, filter }, ctx) => {
      const session = sessionOf(ctx);
      const parsed: Filter | undefined = filter === undefined ? undefined : parseFilter(category, filter, ['filter']);
      const existing = session.subscriptions.get(category);
      if (action === 'add') {
        applySubscriptions(session, new Map([[category, { filter: parsed ?? existing?.filter ?? {}, exclude: existing?.exclude ?? [] }]]));
        const state = done(session);
        if (!existing) onSubscribe(session, [category]);
        return state;
      }
      if (parsed === undefined || Object.keys(parsed).length === 0) session.subscriptions.delete(category);
      else if (!existing) throw new ProtocolError('conflict', `not subscribed to ${category}; nothing to exclude from`);
      else if (existing.exclude.length >= SESSION_LIMITS.exclusionsPerChannel) {
        throw new ProtocolError('invalid_argument', `a channel may have at most ${SESSION_LIMITS.exclusionsPerChannel} exclusions`);
      } else applySubscriptions(session, new Map([[category, { filter: existing.filter, exclude: [...existing.exclude, parsed] }]]));
      return done(session);
    },
    'configure:batching': (config, ctx) => {
      const session = sessionOf(ctx);
      session.configureBatching(config.enabled, config);
      return { batching: session.batching ? { enabled: true, ...session.batching } : { enabled: false } };
    },
    'configure:rate-limit': (limits, ctx) => {
      const session = sessionOf(ctx);
      const after = new Set(Object.keys(session.rateLimitConfig));
      for (const [event, limit] of Object.entries(limits)) {
        if (limit) after.add(event);
        else after.delete(event);
      }
      if (after.size > SESSION_LIMITS.rateLimitedEvents) {
        throw new ProtocolError('invalid_argument', `a socket may rate-limit at most ${SESSION_LIMITS.rateLimitedEvents} events; this would make ${after.size}`);
      }
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
