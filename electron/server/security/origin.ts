import { isIP } from 'node:net';

/**
 * Guards for browser clients: the Host header must name this server (an IP literal,
 * localhost, or a configured name), which defeats DNS rebinding; a browser's Origin
 * must be the server itself or an allowed origin, which defeats cross-site
 * WebSocket hijacking. Non-browser clients send no Origin and pass that check.
 */
export interface OriginPolicy {
  allowedHosts: readonly string[];
  allowedOrigins: readonly string[];
}

export function hostnameOf(hostHeader: string): string | null {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(hostHeader.trim());
  if (!m) return null;
  return m[1]!.replace(/^\[|\]$/g, '').toLowerCase();
}

export function isAllowedHost(hostHeader: string | undefined, policy: OriginPolicy): boolean {
  if (!hostHeader) return false;
  const host = hostnameOf(hostHeader);
  if (!host) return false;
  if (isIP(host) !== 0) return true;
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  return policy.allowedHosts.some((h) => h.toLowerCase() === host);
}

/**
 * `scheme` is how the request reached us (https under TLS or a trusted TLS proxy): a page of this
 * host may only connect over the scheme the server speaks, so http://host cannot pass for https://host.
 */
export function isAllowedOrigin(origin: string | undefined, hostHeader: string | undefined, policy: OriginPolicy, scheme?: 'http' | 'https'): boolean {
  if (origin === undefined) return true;
  if (policy.allowedOrigins.includes(origin)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (scheme && url.protocol !== `${scheme}:`) return false;
  return hostHeader !== undefined && url.host.toLowerCase() === hostHeader.toLowerCase();
}

export type RequestCheck = { ok: true } | { ok: false; reason: string };

export function checkRequest(headers: { host?: string; origin?: string }, policy: OriginPolicy, scheme?: 'http' | 'https'): RequestCheck {
  if (!isAllowedHost(headers.host, policy)) return { ok: false, reason: `host ${headers.host ?? '(none)'} is not allowed` };
  if (!isAllowedOrigin(headers.origin, headers.host, policy, scheme)) return { ok: false, reason: `origin ${headers.origin} is not allowed` };
  return { ok: true };
}
