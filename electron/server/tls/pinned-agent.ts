import { Agent, type AgentOptions, type RequestOptions } from 'node:https';
import type { Duplex } from 'node:stream';
import { connect, type ConnectionOptions } from 'node:tls';
import { normalizeFingerprint, TlsPinError, type TlsPinning } from '../../../shared/sdk/tls-pin';

/**
 * An https.Agent that accepts exactly one certificate, by SHA-256 fingerprint, whoever signed it
 * (self-signed LAN hosts). The socket is handed to HTTP only after the check, so nothing (no
 * token) is ever written to a host that fails it.
 */
export class PinnedAgent extends Agent {
  readonly fingerprint: string;
  /** Set when the latest connection failed the check, cleared by the next one that passes. */
  lastRefusal: TlsPinError | null = null;
  constructor(fingerprint: string, options: AgentOptions = {}) {
    super(options);
    this.fingerprint = normalizeFingerprint(fingerprint);
  }

  override createConnection(options: RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): undefined {
    const done = callback ?? (() => undefined);
    const host = `${options.host ?? options.hostname ?? 'localhost'}:${options.port ?? 443}`;
    const socket = connect({ ...(options as ConnectionOptions), rejectUnauthorized: false });
    const fail = (err: Error) => {
      socket.destroy();
      done(err, socket);
    };
    socket.once('error', fail);
    socket.once('secureConnect', () => {
      socket.off('error', fail);
      const actual = socket.getPeerCertificate().fingerprint256 ?? null;
      if (actual !== this.fingerprint) {
        this.lastRefusal = new TlsPinError(this.fingerprint, actual, host);
        return fail(this.lastRefusal);
      }
      this.lastRefusal = null;
      done(null, socket);
    });
    return undefined;
  }
}

/** The SDK's `tlsPinning` for Node: `{ tlsFingerprint, tlsPinning: nodeTlsPinning }`. */
export const nodeTlsPinning: TlsPinning = (fingerprint) => {
  const agent = new PinnedAgent(fingerprint);
  return { agent, refusal: () => agent.lastRefusal };
};
