/**
 * Certificate pinning for the SDK (docs/protocol.md §11). Pure: the Node side that actually
 * checks the peer's certificate is handed in (`tlsPinning`), because browsers do TLS
 * themselves and shared/ never imports Node.
 */

const FINGERPRINT = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;

/** `AB:CD:…` (32 upper-case hex pairs) from any spelling: lower case, without colons, with spaces. */
export function normalizeFingerprint(input: string): string {
  const hex = input.replace(/[\s:]/g, '').toUpperCase();
  const canonical = hex.match(/.{2}/g)?.join(':') ?? '';
  if (!FINGERPRINT.test(canonical)) throw new Error(`not a SHA-256 certificate fingerprint: ${input}`);
  return canonical;
}

/** Exactly `AB:CD:…`. */
export const isFingerprint = (value: string): boolean => FINGERPRINT.test(value);

/** Any spelling normalizeFingerprint accepts. */
export function isFingerprintSpelling(value: string): boolean {
  try {
    normalizeFingerprint(value);
    return true;
  } catch {
    return false;
  }
}

/** The server presented another certificate than the one pinned: not the host that was paired. */
export class TlsPinError extends Error {
  readonly code = 'tls_fingerprint_mismatch';
  constructor(
    readonly expected: string,
    readonly actual: string | null,
    readonly host: string,
  ) {
    super(
      `TLS certificate of ${host} does not match the pinned fingerprint: expected ${expected}, got ${actual ?? 'no certificate'}. ` +
        'This is not the host you paired with (or its certificate was replaced); refusing to connect.',
    );
    this.name = 'TlsPinError';
  }
}

/** What socket.io-client connects through (in Node an https.Agent) so only one certificate is accepted. */
export interface PinnedTransport {
  agent: unknown;
  /** The last refusal, if the last connection attempt failed the check (polling errors lose the cause). */
  refusal(): TlsPinError | null;
}
export type TlsPinning = (fingerprint: string) => PinnedTransport;

/** Finds a TlsPinError wrapped in Socket.IO / Engine.IO transport errors. */
export function pinErrorIn(err: unknown, depth = 4): TlsPinError | null {
  if (err instanceof TlsPinError) return err;
  if (depth === 0 || typeof err !== 'object' || err === null) return null;
  const e = err as { description?: unknown; error?: unknown; cause?: unknown; context?: unknown };
  for (const inner of [e.description, e.error, e.cause, e.context]) {
    const found = pinErrorIn(inner, depth - 1);
    if (found) return found;
  }
  return null;
}
