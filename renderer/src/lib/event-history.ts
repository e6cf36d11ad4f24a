import type { LoggedEventView } from '../../../shared/protocol/models';
import { api } from './rest';

/** Logged events from `GET /api/events` (PROTOCOL.md §9), oldest first: history that survives a reload. */
export async function loggedEvents(
  query: { channels?: readonly string[]; events?: readonly string[]; limit?: number; since?: number } = {},
): Promise<LoggedEventView[]> {
  const params = new URLSearchParams();
  if (query.channels?.length) params.set('channels', query.channels.join(','));
  if (query.events?.length) params.set('events', query.events.join(','));
  if (query.limit) params.set('limit', String(query.limit));
  if (query.since !== undefined) params.set('since', String(query.since));
  const body = await api<{ events: LoggedEventView[] }>(`/events?${params}`);
  return body.events;
}
