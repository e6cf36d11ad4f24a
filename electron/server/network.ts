import { networkInterfaces } from 'node:os';
import { isIP } from 'node:net';
import { ProtocolError } from '../../shared/protocol/errors';

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || (isIP(h) === 4 && h.startsWith('127.'));
}

/** Binding beyond loopback is opt-in (docs/protocol.md §1). */
export function assertBindAllowed(host: string, lan: boolean): void {
  if (!lan && !isLoopbackHost(host)) {
    throw new ProtocolError('invalid_argument', `refusing to bind ${host}: only loopback is allowed unless LAN exposure is enabled (--lan)`, [
      { path: 'host', message: 'non-loopback address without --lan' },
    ]);
  }
}

/** The URLs LAN clients can use for a bound host and port. */
export function lanUrls(host: string, port: number, scheme: 'http' | 'https' = 'http'): string[] {
  const wildcard = host === '0.0.0.0' || host === '::';
  const urls: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const nic of list ?? []) {
      if (nic.internal) continue;
      if (nic.family !== 'IPv4' && host !== '::') continue;
      if (!wildcard && nic.address !== host) continue;
      urls.push(`${scheme}://${nic.family === 'IPv6' ? `[${nic.address}]` : nic.address}:${port}/`);
    }
  }
  if (!wildcard && urls.length === 0) urls.push(`${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}/`);
  return urls;
}
