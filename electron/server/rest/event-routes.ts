import { z } from 'zod';
import { CHANNELS, isChannel, type Channel } from '../../../shared/protocol/channels';
import { ProtocolError } from '../../../shared/protocol/errors';
import type { LoggedEventView } from '../../../shared/protocol/models';
import type { LogReader } from '../log/log-reader';
import { defineRoute, type RouteDef } from './route';

const MAX_LIMIT = 1000;

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
});

/**
 * `GET /api/events` (docs/protocol.md §10): logged events for histories that survive a
 * reload. With `since`, the events after it, oldest first; without, the newest
 * `limit`. Each named channel needs its `read:` scope; without `channels`, every
 * channel the caller may read.
 */
export function eventRoutes(log: LogReader): RouteDef[] {
  return [
    defineRoute('GET /api/events', {
      summary: 'Logged channel events: since=SEQ (exclusive), channels=a,b, limit (≤ 1000); { epoch, seq, events: [{ seq, event, data }] }',
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
        const found = await (query.since === undefined ? log.newest(channels, query.limit) : log.after(query.since, channels, query.limit));
        const events: LoggedEventView[] = found.map((e) => ({ seq: e.seq, event: e.event, data: e.payload }));
        return { epoch: log.epoch, seq: log.seq, events };
      },
    }),
  ];
}
