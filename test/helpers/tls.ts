import { X509Certificate } from 'node:crypto';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:tls';
import { generate } from 'selfsigned';
import { PinnedAgent } from '../../electron/server/tls/pinned-agent';

/** A test certificate authority and leaves it signs, made in the test (never on disk beyond the test's dir). */
export interface TestCa {
  cert: string;
  key: string;
  /** A leaf for 127.0.0.1 and localhost signed by this CA. */
  leaf(cn?: string): Promise<{ cert: string; key: string; fingerprint: string }>;
}

export async function makeTestCa(): Promise<TestCa> {
  const ca = await generate([{ name: 'commonName', value: 'Zen Flow Test CA' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  return {
    cert: ca.cert,
    key: ca.private,
    async leaf(cn = 'localhost') {
      const leaf = await generate([{ name: 'commonName', value: cn }], {
        keyType: 'ec',
        algorithm: 'sha256',
        ca: { cert: ca.cert, key: ca.private },
        extensions: [
          { name: 'basicConstraints', cA: false },
          { name: 'keyUsage', digitalSignature: true, critical: true },
          { name: 'extKeyUsage', serverAuth: true },
          {
            name: 'subjectAltName',
            altNames: [
              { type: 2, value: 'localhost' },
              { type: 7, ip: '127.0.0.1' },
            ],
          },
        ],
      });
      return { cert: leaf.cert, key: leaf.private, fingerprint: new X509Certificate(leaf.cert).fingerprint256 };
    },
  };
}

/** The SHA-256 fingerprint of the certificate a TLS port presents right now. */
export function servedFingerprint(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), rejectUnauthorized: false }, () => {
      resolve(socket.getPeerCertificate().fingerprint256);
      socket.end();
    });
    socket.once('error', reject);
  });
}

/** A GET over HTTPS trusting `ca`, with the response's status, headers and body. */
export function httpsGet(
  url: string,
  options: { ca?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ca: options.ca, headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.once('error', reject);
    req.end();
  });
}

/** A fetch-like request over HTTPS that trusts exactly the certificate with `fingerprint`. */
export function pinnedFetch(
  url: string,
  fingerprint: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; json(): Promise<unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method: init.method ?? 'GET', headers: init.headers, agent: new PinnedAgent(fingerprint) }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: async () => JSON.parse(body) as unknown }));
    });
    req.once('error', reject);
    req.end(init.body);
  });
}
