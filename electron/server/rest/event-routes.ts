import { z } from 'zod';
import { channelOf, CHANNELS, isChannel, type Channel } from '../../../shared/protocol/channels';
import { ProtocolError } from '../../../shared/protocol/errors';
import type { LoggedEventView } from '../../../shared/protocol/models';
import type { LogReader } from '../log/log-reader';
import { defineRoute, type RouteDef } from './route';

const MAX_LIMIT = 1000;
const MAX_EVENT_NAMES = 20;

const querySchema = z.strictObject({
  since: z.coerce.number().int().min(0).optional(),
  channels: z
    .string()
    .max(200)
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return undefined;
      const list = [...new Set(v.split(',').map((c) => c.trim()))];
      const bad = list.filter((c) => !isChannel(c));
      if (bad.length) ctx.addIssue({ code: 'custom', message: `unknown channel ${bad.join(', ')}; allowed: ${CHANNELS.join(', ')}` });
      return list as Channel[];
    }),
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(200),
  events: z
    .string()
    .max(600)
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return undefined;
      const list = [...new Set(v.split(',').map((e) => e.trim()))];
      if (list.length > MAX_EVENT_NAMES) ctx.addIssue({ code: 'custom', message: `at most ${MAX_EVENT_NAMES} event names` });
      const bad = list.filter((e) => channelOf(e) === null);
      if (bad.length) ctx.addIssue({ code: 'custom', message: `not a channel event: ${bad.join(', ')}` });
      return list;
    }),
});

/**
 * `GET /api/events` (docs/protocol.md §10): logged events for histories that survive a
 * reload. With `since`, the events after it, oldest first; without, the newest
 * `limit`. Each named channel needs its `read:` scope; without `channels`, every
 * channel the caller may read. `events` narrows to those event names (a chart's
 * history: e.g. only `swarm:efficiency` among the agents' status changes).
 */
export function eventRoutes(log: LogReader): RouteDef[] {
  return [
    defineRoute('GET /api/events', {
      summary: 'Logged channel events: since=SEQ (exclusive), channels=a,b, events=name,name (≤ 20), limit (≤ 1000); { epoch, seq, events: [{ seq, event, data }] }',
      access: null,
      query: querySchema,
      handler: async ({ query }, ctx) => {
        const readable = CHANNELS.filter((c) => ctx.scopes.has(`read:${c}`));
        const channels = query.channels ?? readable;
        const refused = channels.filter((c) => !readable.includes(c));
        if (refused.length) {
          throw new ProtocolError('forbidden', `reading ${refused.join(', ')} needs ${refused.map((c) => `read:${c}`).join(', ')}`, {
            required: refused.map((c) => `read:${c}`),
          });
        }
        const found = await (query.since === undefined ? log.newest(channels, query.limit, query.events) : log.after(query.since, channels, query.limit, query.events));
        const events: LoggedEventView[] = found.map((e) => ({ seq: e.seq, event: e.event, data: e.payload }));
        return { epoch: log.epoch, seq: log.seq, events };
      },
    }),
  ];
}
