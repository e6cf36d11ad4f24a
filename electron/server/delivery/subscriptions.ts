import { CHANNELS, type Channel } from '../../../shared/protocol/channels';
import type { CommandArgs } from '../../../shared/protocol/command-table';
import { ProtocolError } from '../../../shared/protocol/errors';
import { ALLOWED_FILTER_FIELDS, FILTER_SCHEMAS, type Filter } from '../../../shared/protocol/filters';
import type { SubscriptionState } from '../../../shared/protocol/models';
import { parseOrThrow } from '../validation';

export interface Subscription {
  filter: Filter;
  exclude: Filter[];
}
export type Subscriptions = Map<Channel, Subscription>;

/** Parses one channel's filter; unknown fields are refused naming the allowed ones. */
export function parseFilter(channel: Channel, raw: unknown, path: readonly PropertyKey[]): Filter {
  if (raw !== undefined && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) {
    throw new ProtocolError('invalid_argument', `filter for ${channel} must be an object`, [{ path: path.join('.'), message: 'expected an object' }]);
  }
  const unknown = Object.keys(raw ?? {}).filter((k) => !ALLOWED_FILTER_FIELDS[channel].includes(k));
  if (unknown.length) {
    const allowed = ALLOWED_FILTER_FIELDS[channel].join(', ');
    throw new ProtocolError(
      'invalid_argument',
      `unknown filter field ${unknown.map((k) => `'${k}'`).join(', ')} for channel ${channel}; allowed: ${allowed}`,
      unknown.map((k) => ({ path: [...path, k].join('.'), message: `not a ${channel} filter field; allowed: ${allowed}` })),
    );
  }
  return parseOrThrow(FILTER_SCHEMAS[channel], raw ?? {}, path) as Filter;
}

/** Normalises every `subscribe` form to channel → filter (docs/protocol.md §5). */
export function subscribeTargets(spec: CommandArgs<'subscribe'>): Map<Channel, Filter | undefined> {
  if (typeof spec === 'string') return new Map([[spec, undefined]]);
  if (Array.isArray(spec)) return new Map(spec.map((c) => [c, undefined]));
  if ('channels' in spec) return new Map(spec.channels.map((c) => [c, undefined]));
  const filters = spec.filters ?? {};
  const stray = Object.keys(filters).filter((k) => !spec.categories.includes(k as Channel));
  if (stray.length) {
    throw new ProtocolError(
      'invalid_argument',
      `filters given for channels not in categories: ${stray.join(', ')}`,
      stray.map((k) => ({ path: `filters.${k}`, message: `not one of the categories (${spec.categories.join(', ')})` })),
    );
  }
  return new Map(spec.categories.map((c) => [c, parseFilter(c, filters[c], ['filters', c])]));
}

/** The `exclude` lists of the `{ categories, filters, exclude }` form, parsed like filters. */
export function subscribeExclusions(spec: CommandArgs<'subscribe'>): Map<Channel, Filter[]> {
  const out = new Map<Channel, Filter[]>();
  if (typeof spec !== 'object' || Array.isArray(spec) || !('categories' in spec) || !spec.exclude) return out;
  for (const [key, list] of Object.entries(spec.exclude)) {
    if (!spec.categories.includes(key as Channel)) {
      throw new ProtocolError('invalid_argument', `exclusions given for a channel not in categories: ${key}`, [
        { path: `exclude.${key}`, message: `not one of the categories (${spec.categories.join(', ')})` },
      ]);
    }
    const channel = key as Channel;
    out.set(
      channel,
      list.map((f, i) => parseFilter(channel, f, ['exclude', channel, i])).filter((f) => Object.keys(f).length > 0),
    );
  }
  return out;
}

export function subscriptionState(subs: Subscriptions): SubscriptionState {
  const subscriptions: SubscriptionState['subscriptions'] = {};
  for (const c of CHANNELS) {
    const s = subs.get(c);
    if (s) subscriptions[c] = { filter: { ...s.filter }, exclude: s.exclude.map((e) => ({ ...e })) };
  }
  return { subscriptions };
}
