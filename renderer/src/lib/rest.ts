import { ZenFlowRequestError } from '../../../shared/sdk';
import { isErrorResponse } from '../../../shared/protocol/errors';

/** REST under /api with the connection's bearer token; errors become ZenFlowRequestError. */
let target: { url: string; token: () => string } | null = null;

export function setRestTarget(url: string, token: () => string): void {
  target = { url: url.replace(/\/+$/, ''), token };
}

export function clearRestTarget(): void {
  target = null;
}

export async function api<T = unknown>(
  path: string,
  init: { method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  if (!target) throw new ZenFlowRequestError({ code: 'disconnected', message: 'not connected to a server' });
  const headers: Record<string, string> = { Authorization: `Bearer ${target.token()}`, Accept: 'application/json' };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`${target.url}/api${path.startsWith('/') ? path : `/${path}`}`, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: init.signal,
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (err) {
    if ((err as Error)?.name === 'AbortError') throw err;
    throw new ZenFlowRequestError({ code: 'unavailable', message: `server unreachable (${(err as Error)?.message ?? 'network error'})` });
  }
  const text = await res.text();
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  if (!res.ok) {
    if (isErrorResponse(body)) throw new ZenFlowRequestError(body.error);
    throw new ZenFlowRequestError({
      code: res.status === 403 ? 'forbidden' : res.status === 404 ? 'not_found' : res.status === 429 ? 'rate_limited' : 'internal',
      message: `${res.status} ${res.statusText || 'request failed'}`,
    });
  }
  return body as T;
}
