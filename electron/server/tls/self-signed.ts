import { isIP } from 'node:net';
import { generate } from 'selfsigned';
import type { SecretStore } from '../../store/secret-store';
import { tlsCredentials, type TlsCredentials } from './certificate';

/** Certificate and key together under one secret-store entry, so they never get out of step. */
export const LAN_CERTIFICATE_ACCOUNT = 'tls:lan-certificate';
const VALID_DAYS = 3650;
/** A certificate this close to expiry is replaced (and paired devices see a new fingerprint). */
const RENEW_BEFORE_MS = 30 * 86_400_000;

/**
 * The LAN host's self-signed certificate: made once, its private key kept in the secret store,
 * reused across restarts so the fingerprint devices pinned stays the same. The names only help
 * browsers show the right host; pinned clients trust the fingerprint, so a changed address does
 * not replace the certificate.
 */
export async function lanCertificate(store: SecretStore, names: readonly string[], now = Date.now()): Promise<{ credentials: TlsCredentials; created: boolean }> {
  const stored = await store.get(LAN_CERTIFICATE_ACCOUNT);
  if (stored) {
    try {
      const { cert, key } = JSON.parse(stored) as { cert: string; key: string };
      const credentials = tlsCredentials(cert, key);
      if (credentials.validTo - RENEW_BEFORE_MS > now) return { credentials, created: false };
    } catch {
      // Unreadable or mismatched: make a new one below.
    }
  }
  const unique = [...new Set(names.map((n) => n.toLowerCase()))];
  const altNames = unique.map((n) => (isIP(n) ? { type: 7 as const, ip: n } : { type: 2 as const, value: n }));
  const commonName = unique.find((n) => !isIP(n)) ?? 'zenflow';
  const pems = await generate(
    [
      { name: 'commonName', value: commonName },
      { name: 'organizationName', value: 'Zen Flow (self-signed LAN host)' },
    ],
    {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      notBeforeDate: new Date(now - 60_000),
      notAfterDate: new Date(now + VALID_DAYS * 86_400_000),
      extensions: [
        { name: 'basicConstraints', cA: false, critical: true },
        { name: 'keyUsage', digitalSignature: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames },
      ],
    },
  );
  const credentials = tlsCredentials(pems.cert, pems.private);
  await store.set(LAN_CERTIFICATE_ACCOUNT, JSON.stringify({ cert: pems.cert, key: pems.private }));
  return { credentials, created: true };
}
