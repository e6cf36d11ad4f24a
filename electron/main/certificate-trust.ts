import { isFingerprint } from '../../shared/sdk/tls-pin';

/**
 * Which server certificates the app's window accepts (docs/protocol.md §11): its own LAN server's,
 * a remote profile's pinned one, or, trusting on first use, a new self-signed one the user
 * confirms. Pure, so the decisions are unit-tested; electron/main/certificates.ts applies them.
 */

export interface PinnedProfile {
  id: string;
  name: string;
  url: string;
  fingerprint?: string;
}

export interface PresentedCertificate {
  hostname: string;
  /** `AB:CD:…`. */
  fingerprint: string;
  /** Chromium's own verification passed (a publicly trusted certificate for this name). */
  chromiumVerified: boolean;
}

export type CertificateVerdict =
  { action: 'accept' } | { action: 'reject'; reason: string } | { action: 'ask'; kind: 'first-use' | 'changed'; profile: PinnedProfile; hostname: string; fingerprint: string };

const hostnameOf = (url: string): string | null => {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' ? u.hostname.replace(/^\[|\]$/g, '').toLowerCase() : null;
  } catch {
    return null;
  }
};

export function decideCertificate(cert: PresentedCertificate, context: { localFingerprint: string | null; profiles: readonly PinnedProfile[] }): CertificateVerdict {
  // Our own LAN server: only we hold its key, whatever address the window used.
  if (context.localFingerprint !== null && cert.fingerprint === context.localFingerprint) return { action: 'accept' };
  const host = cert.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const matching = context.profiles.filter((p) => hostnameOf(p.url) === host);
  if (matching.length === 0) {
    return cert.chromiumVerified ? { action: 'accept' } : { action: 'reject', reason: `${cert.hostname} presented an untrusted certificate and is not a saved server` };
  }
  const pinned = matching.filter((p) => p.fingerprint !== undefined);
  if (pinned.some((p) => p.fingerprint === cert.fingerprint)) return { action: 'accept' };
  if (pinned.length > 0) return { action: 'ask', kind: 'changed', profile: pinned[0]!, hostname: cert.hostname, fingerprint: cert.fingerprint };
  if (cert.chromiumVerified) return { action: 'accept' };
  return { action: 'ask', kind: 'first-use', profile: matching[0]!, hostname: cert.hostname, fingerprint: cert.fingerprint };
}

/** Electron reports `sha256/<base64>`; the app and the server speak `AB:CD:…`. */
export function fingerprintFromElectron(value: string): string | null {
  if (isFingerprint(value)) return value;
  const m = /^sha256\/([A-Za-z0-9+/]+=*)$/.exec(value);
  if (!m) return null;
  const bytes = Buffer.from(m[1]!, 'base64');
  if (bytes.length !== 32) return null;
  return [...bytes].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
}

/** The dialog for an `ask` verdict: the safe choice is the default and what Escape does. */
export function certificatePrompt(verdict: Extract<CertificateVerdict, { action: 'ask' }>): {
  type: 'warning' | 'question';
  title: string;
  message: string;
  detail: string;
  buttons: string[];
  defaultId: number;
  cancelId: number;
} {
  const { profile, hostname, fingerprint } = verdict;
  if (verdict.kind === 'changed') {
    return {
      type: 'warning',
      title: 'Server certificate changed',
      message: `The certificate of “${profile.name}” (${hostname}) is not the one you trusted.`,
      detail:
        `Trusted:   ${profile.fingerprint}\nPresented: ${fingerprint}\n\n` +
        'Another device on the network may be posing as this server. Connect only if you know the server got a new certificate ' +
        '(compare the fingerprint it prints at start or shows under Settings → LAN hosting).',
      buttons: ['Do not connect', 'Trust the new certificate'],
      defaultId: 0,
      cancelId: 0,
    };
  }
  return {
    type: 'question',
    title: 'Trust this server?',
    message: `“${profile.name}” (${hostname}) uses a self-signed certificate.`,
    detail:
      `SHA-256 fingerprint:\n${fingerprint}\n\n` +
      'Compare it with the fingerprint the server shows (Settings → LAN hosting, or the line zenflow serve prints). ' +
      'If they match, the app remembers it and refuses any other certificate for this server.',
    buttons: ['Cancel', 'Trust and connect'],
    defaultId: 0,
    cancelId: 0,
  };
}
