import { isFingerprintSpelling, normalizeFingerprint } from './sdk/tls-pin';

/**
 * The link (and QR code) a LAN device opens to pair: the host's address, the single-use
 * pairing code and the certificate fingerprint to pin (docs/protocol.md §11), e.g.
 * `https://192.168.1.4:3456/?pair=ABCD-EFGH&fp=AB:CD:…`.
 */
export interface PairingLink {
  url: string;
  code?: string;
  fingerprint?: string;
}

export function pairingLink({ url, code, fingerprint }: PairingLink): string {
  const link = new URL(url);
  link.pathname = '/';
  link.search = '';
  link.hash = '';
  if (code) link.searchParams.set('pair', code);
  if (fingerprint) link.searchParams.set('fp', normalizeFingerprint(fingerprint));
  // Colons read better than %3A in a link a person may compare by eye.
  return link.href.replace(/%3A/g, ':');
}

/** The parts of a pairing link; a malformed fingerprint is dropped rather than shown. */
export function parsePairingLink(href: string): PairingLink | null {
  if (!URL.canParse(href)) return null;
  const link = new URL(href);
  if (link.protocol !== 'https:' && link.protocol !== 'http:') return null;
  const code = link.searchParams.get('pair') ?? undefined;
  const fp = link.searchParams.get('fp');
  return { url: link.origin, ...(code ? { code } : {}), ...(fp && isFingerprintSpelling(fp) ? { fingerprint: normalizeFingerprint(fp) } : {}) };
}
