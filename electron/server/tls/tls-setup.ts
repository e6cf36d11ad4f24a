import { createServer as createHttpServer, type IncomingMessage, type RequestListener, type Server as HttpServer, type ServerOptions as HttpServerOptions } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { hostname, networkInterfaces } from 'node:os';
import type { FastifyInstance } from 'fastify';
import { ProtocolError } from '../../../shared/protocol/errors';
import type { SecretStore } from '../../store/secret-store';
import type { ServerOptions } from '../options';
import { readTlsFiles, type TlsCredentials } from './certificate';
import { lanCertificate } from './self-signed';

/** How the port speaks (docs/protocol.md §11), as /api/whoami reports it. */
export interface TlsState {
  enabled: boolean;
  source: 'files' | 'self-signed' | null;
  fingerprint: string | null;
  /** Reachable beyond loopback in clear text because `insecureHttp` was asked for. */
  insecureLan: boolean;
}

export interface ServerTls {
  readonly source: 'files' | 'self-signed';
  readonly credentials: TlsCredentials;
  /** True when this start made the self-signed certificate (first LAN start). */
  readonly created: boolean;
}

/** The names a self-signed certificate lists: this host, loopback and every LAN address. */
function certificateNames(): string[] {
  const addresses = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((nic) => nic.address.replace(/%.*$/, '')));
  return [hostname(), `${hostname()}.local`, 'localhost', '127.0.0.1', '::1', ...addresses];
}

/**
 * Which certificate the port uses: given files, else a self-signed one whenever the bind is
 * exposed beyond loopback (or `autoTls` forces it), unless `insecureHttp` asks for clear text.
 */
export async function resolveTls(options: ServerOptions, secrets: SecretStore, exposed: boolean): Promise<ServerTls | null> {
  const files = options.tlsCertFile !== undefined || options.tlsKeyFile !== undefined;
  if (files && (options.tlsCertFile === undefined || options.tlsKeyFile === undefined)) {
    throw new ProtocolError('invalid_argument', 'TLS needs both a certificate and a key (--tls-cert and --tls-key)');
  }
  if (options.insecureHttp && (files || options.autoTls === true)) {
    throw new ProtocolError('invalid_argument', '--insecure-http contradicts TLS: give certificate files or --insecure-http, not both');
  }
  if (files) return { source: 'files', credentials: await readTlsFiles(options.tlsCertFile!, options.tlsKeyFile!), created: false };
  if (options.autoTls ?? (exposed && !options.insecureHttp)) {
    const { credentials, created } = await lanCertificate(secrets, certificateNames());
    return { source: 'self-signed', credentials, created };
  }
  return null;
}

/** Fastify's `serverFactory`: HTTPS with the certificate, or plain HTTP. A TLS port answers nothing to plain HTTP. */
export function serverFactory(tls: ServerTls | null, http: HttpServerOptions = {}): (handler: RequestListener) => HttpServer {
  return (handler) =>
    tls
      ? // Fastify and Socket.IO only use what http and https servers share.
        (createHttpsServer({ ...http, cert: tls.credentials.cert, key: tls.credentials.key, minVersion: 'TLSv1.2' }, handler) as unknown as HttpServer)
      : createHttpServer(http, handler);
}

/** Swaps the certificate of a listening HTTPS server; connections already open keep theirs. */
export function replaceCertificate(server: HttpServer, credentials: TlsCredentials): void {
  (server as unknown as HttpsServer).setSecureContext({ cert: credentials.cert, key: credentials.key, minVersion: 'TLSv1.2' });
}

/** `https` when the request came over TLS, or, behind a trusted proxy, when X-Forwarded-Proto says so. */
export function requestScheme(req: IncomingMessage, trustProxy: boolean): 'http' | 'https' {
  if ((req.socket as { encrypted?: boolean }).encrypted) return 'https';
  if (!trustProxy) return 'http';
  const forwarded = req.headers['x-forwarded-proto'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim().toLowerCase();
  return first === 'https' ? 'https' : 'http';
}

/** One year, the usual HSTS lifetime; no includeSubDomains, the host may share a domain with others. */
export const HSTS = 'max-age=31536000';

/** HSTS on every answer that went out over TLS (directly or through a trusted proxy). */
export function registerTransportSecurity(app: FastifyInstance, trustProxy: boolean): void {
  app.addHook('onSend', async (req, reply) => {
    // HSTS binds a whole host name, every port: never pin localhost, where other local servers speak plain HTTP.
    const host = req.hostname.toLowerCase();
    if (host === 'localhost' || host.endsWith('.localhost')) return;
    if (requestScheme(req.raw, trustProxy) === 'https') void reply.header('Strict-Transport-Security', HSTS);
  });
}
