import type { LoggedEventView } from '../../../shared/protocol/models';
import { rest } from './rest';

/** Logged events from `GET /api/events` (docs/protocol.md §10), oldest first: history that survives a reload. */
export async function loggedEvents(query: { channels?: readonly string[]; events?: readonly string[]; limit?: number; since?: number } = {}): Promise<LoggedEventView[]> {
  const body = await rest('GET /api/events', {
    query: {
      channels: query.channels?.length ? query.channels.join(',') : undefined,
      events: query.events?.length ? query.events.join(',') : undefined,
      limit: query.limit || undefined,
      since: query.since,
    },
  });
  return body.events;
}
