import { ZenFlowRequestError } from '../../../shared/sdk';
import { isErrorResponse } from '../../../shared/protocol/errors';
import type { RestResponse, RestRouteKey } from '../../../shared/protocol/rest';

/** REST under /api with the connection's bearer token; errors become ZenFlowRequestError. */
let target: { url: string; token: () => string } | null = null;

export function setRestTarget(url: string, token: () => string): void {
  target = { url: url.replace(/\/+$/, ''), token };
}

export function clearRestTarget(): void {
  target = null;
}

/** The `:name` parameters of a route path. */
type ParamsOf<P extends string> = P extends `${string}:${infer Name}/${infer Rest}` ? Name | ParamsOf<`/${Rest}`> : P extends `${string}:${infer Name}` ? Name : never;
type PathOf<K extends RestRouteKey> = K extends `${string} ${infer P}` ? P : never;
type MethodOf<K extends RestRouteKey> = K extends `${infer M extends 'GET' | 'POST' | 'PUT' | 'DELETE'} ${string}` ? M : never;
type RouteOptions<K extends RestRouteKey> = {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  signal?: AbortSignal;
} & ([ParamsOf<PathOf<K>>] extends [never] ? { params?: undefined } : { params: Record<ParamsOf<PathOf<K>>, string> });

/** Calls the REST route `key` ('METHOD /api/…'); resolves with that route's documented response. */
export function rest<K extends RestRouteKey>(key: K, ...[options]: [ParamsOf<PathOf<K>>] extends [never] ? [RouteOptions<K>?] : [RouteOptions<K>]): Promise<RestResponse<K>> {
  const [method, template] = key.split(' ') as [MethodOf<K>, string];
  const params = (options?.params ?? {}) as Record<string, string>;
  const path = template.replace(/^\/api/, '').replace(/:(\w+)/g, (_m, name: string) => encodeURIComponent(params[name] ?? ''));
  const query = Object.entries(options?.query ?? {}).filter((e): e is [string, string | number] => e[1] !== undefined);
  const search = query.length ? `?${new URLSearchParams(query.map(([k, v]) => [k, String(v)]))}` : '';
  return api(`${path}${search}`, { method, body: options?.body, signal: options?.signal }) as Promise<RestResponse<K>>;
}

async function api(path: string, init: { method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; body?: unknown; signal?: AbortSignal } = {}): Promise<unknown> {
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
  return body;
}
