import type { TlsState } from './tls-setup';

/** What `zenflow serve` prints about TLS at start and after a reload (docs/protocol.md §11). */
export function tlsBanner(state: TlsState): string {
  if (state.fingerprint) return `TLS certificate SHA-256 fingerprint: ${state.fingerprint}\n`;
  if (!state.insecureLan) return '';
  const line = '!'.repeat(78);
  return `${line}\n!! INSECURE: the LAN is served in CLEAR TEXT (--insecure-http). Anyone on this\n!! network can read tokens, pairing codes and events, and take over sessions.\n${line}\n`;
}
