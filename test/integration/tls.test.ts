import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeTlsPinning } from '../../electron/server/tls/pinned-agent';
import { LAN_CERTIFICATE_ACCOUNT } from '../../electron/server/tls/self-signed';
import { connectZenFlowClient, createZenFlowClient, TlsPinError, type ConnectionState } from '../../shared/sdk';
import { startTestServer, type TestServer } from '../helpers/server';
import { httpsGet, makeTestCa, servedFingerprint, type TestCa } from '../helpers/tls';

const run = promisify(execFile);
const FINGERPRINT = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;

/** Plain HTTP to a port: the status line if one came back, or the error that ended the attempt. */
function plainGet(url: string): Promise<{ status?: number; error?: string }> {
  return new Promise((resolve) => {
    const req = httpGet(url, (res) => {
      res.resume();
      resolve({ status: res.statusCode });
    });
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
    req.once('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
  });
}

describe('HTTPS and WSS with certificate files (docs/protocol.md §11)', () => {
  let ca: TestCa;
  let dir: string;
  let t: TestServer;
  let leafFingerprint: string;
  beforeAll(async () => {
    ca = await makeTestCa();
    dir = mkdtempSync(join(tmpdir(), 'zenflow-tls-'));
    const leaf = await ca.leaf();
    leafFingerprint = leaf.fingerprint;
    writeFileSync(join(dir, 'cert.pem'), leaf.cert);
    writeFileSync(join(dir, 'key.pem'), leaf.key, { mode: 0o600 });
    t = await startTestServer({ tlsCertFile: join(dir, 'cert.pem'), tlsKeyFile: join(dir, 'key.pem') });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves REST over HTTPS with HSTS, verified against the test CA', async () => {
    expect(t.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const res = await httpsGet(`${t.url}/api/health`, { ca: ca.cert });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ status: 'ok' });
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000');
    // Never for localhost: HSTS would hold every port of it, other local servers included.
    const local = await httpsGet(`${t.url.replace('127.0.0.1', 'localhost')}/api/health`, { ca: ca.cert });
    expect(local.status).toBe(200);
    expect(local.headers['strict-transport-security']).toBeUndefined();
    const who = await httpsGet(`${t.url}/api/whoami`, { ca: ca.cert, headers: { authorization: `Bearer ${await t.token()}` } });
    expect(JSON.parse(who.body).server.tls).toEqual({ enabled: true, source: 'files', fingerprint: leafFingerprint, insecureLan: false });
  });

  it('refuses a client that does not trust the CA (positive control: the same client with the CA connects)', async () => {
    await expect(httpsGet(`${t.url}/api/health`)).rejects.toThrow(/certificate/i);
    const token = await t.token(['read:system']);
    for (const transports of [['websocket'], ['polling']] as const) {
      const client = await connectZenFlowClient({ url: t.url, auth: { token }, transports: [...transports], autoReconnect: false, ca: ca.cert });
      try {
        await expect(client.request('system:status:get')).resolves.toHaveProperty('performance');
      } finally {
        client.close();
      }
    }
    await expect(connectZenFlowClient({ url: t.url, auth: { token }, transports: ['websocket'], autoReconnect: false })).rejects.toThrow();
  });

  it('gives plain HTTP on the TLS port no answer at all', async () => {
    const plain = await plainGet(`${t.url.replace('https:', 'http:')}/api/health`);
    expect(plain.status).toBeUndefined();
    expect(plain.error).toMatch(/ECONNRESET|socket hang up|EPIPE/);
    // Positive control: the same port answers over TLS.
    await expect(httpsGet(`${t.url}/api/health`, { ca: ca.cert })).resolves.toMatchObject({ status: 200 });
  });

  it('accepts its own https origin and refuses the http one', async () => {
    const host = new URL(t.url).host;
    const own = await httpsGet(`${t.url}/api/health`, { ca: ca.cert, headers: { origin: `https://${host}` } });
    expect(own.status).toBe(200);
    const downgraded = await httpsGet(`${t.url}/api/health`, { ca: ca.cert, headers: { origin: `http://${host}` } });
    expect(downgraded.status).toBe(403);
  });

  it('reloads the certificate files (SIGHUP) for new connections', async () => {
    const next = await ca.leaf('renewed');
    writeFileSync(join(dir, 'cert.pem'), next.cert);
    writeFileSync(join(dir, 'key.pem'), next.key);
    await expect(servedFingerprint(t.url)).resolves.toBe(leafFingerprint);
    await expect(t.server.reloadTls()).resolves.toMatchObject({ fingerprint: next.fingerprint });
    await expect(servedFingerprint(t.url)).resolves.toBe(next.fingerprint);

    // A broken file keeps the certificate in use.
    writeFileSync(join(dir, 'key.pem'), (await ca.leaf()).key);
    await expect(t.server.reloadTls()).rejects.toThrow(/does not belong/);
    await expect(servedFingerprint(t.url)).resolves.toBe(next.fingerprint);
  });
});

describe('automatic TLS for LAN hosting, forced on loopback', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'zenflow-autotls-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('makes a self-signed certificate once, keeps its key in the secret store and serves the same one after a restart', async () => {
    const first = await startTestServer({ dataDir: dir, autoTls: true });
    const fingerprint = first.server.tlsState().fingerprint!;
    expect(fingerprint).toMatch(FINGERPRINT);
    expect(first.url).toMatch(/^https:/);
    await expect(servedFingerprint(first.url)).resolves.toBe(fingerprint);
    await first.close();

    const secrets = JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')) as Record<string, string>;
    expect(JSON.parse(secrets[LAN_CERTIFICATE_ACCOUNT]!).key).toMatch(/BEGIN PRIVATE KEY/);

    const second = await startTestServer({ dataDir: dir, autoTls: true });
    try {
      expect(second.server.tlsState()).toEqual({ enabled: true, source: 'self-signed', fingerprint, insecureLan: false });
      await expect(servedFingerprint(second.url)).resolves.toBe(fingerprint);
    } finally {
      await second.close();
    }
  });
});

describe('SDK certificate pinning (tlsFingerprint)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ autoTls: true });
  });
  afterAll(() => t?.close());

  const wrong = 'AA:'.repeat(31) + 'AA';

  it('connects to the pinned certificate in any spelling, over WebSocket and polling', async () => {
    const fingerprint = t.server.tlsState().fingerprint!;
    const token = await t.token(['read:system']);
    for (const [spelling, transports] of [
      [fingerprint, ['websocket']],
      [fingerprint.replace(/:/g, '').toLowerCase(), ['polling']],
    ] as const) {
      const client = await connectZenFlowClient({
        url: t.url,
        auth: { token },
        transports: [...transports],
        autoReconnect: false,
        tlsFingerprint: spelling,
        tlsPinning: nodeTlsPinning,
      });
      expect(client.connectionState.status).toBe('connected');
      client.close();
    }
  });

  it('refuses another certificate with a clear error before sending the token', async () => {
    const seen: string[] = [];
    // The server drops the bearer token from the handshake once checked: which token arrived shows in the claims.
    const onConnection = (socket: { data: { claims?: { jti: string } } }) => seen.push(socket.data.claims?.jti ?? '');
    t.server.io.on('connection', onConnection);
    try {
      const token = await t.token(['read:system']);
      for (const transports of [['websocket'], ['polling']] as const) {
        const err = await connectZenFlowClient({
          url: t.url,
          auth: { token },
          transports: [...transports],
          autoReconnect: false,
          tlsFingerprint: wrong,
          tlsPinning: nodeTlsPinning,
        }).catch((e: unknown) => e);
        expect(err, transports[0]).toBeInstanceOf(TlsPinError);
        expect((err as TlsPinError).message).toMatch(/does not match the pinned fingerprint: expected AA:AA.*got [0-9A-F:]{95}/);
        expect((err as TlsPinError).actual).toBe(t.server.tlsState().fingerprint);
      }

      // The state-tracking client stops, refused, instead of retrying against the wrong host.
      const client = createZenFlowClient({ url: t.url, auth: { token }, transports: ['websocket'], tlsFingerprint: wrong, tlsPinning: nodeTlsPinning });
      const refused = await new Promise<ConnectionState>((resolve) => client.onStateChange((s) => s.status === 'refused' && resolve(s)));
      expect(refused.code).toBe('tls_fingerprint_mismatch');
      client.close();

      // Positive control: the right pin connects, and only it reached the server.
      await t.client({ token });
      expect(seen).toEqual([JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).jti]);
    } finally {
      t.server.io.off('connection', onConnection);
    }
  });

  it('will not pin without a way to check, nor over plain http', () => {
    expect(() => createZenFlowClient({ url: t.url, tlsFingerprint: wrong })).toThrow(/needs tlsPinning/);
    expect(() => createZenFlowClient({ url: 'http://127.0.0.1:1', tlsFingerprint: wrong, tlsPinning: nodeTlsPinning })).toThrow(/not https/);
  });
});

const PYTHON = '/usr/bin/python3';
const TLS_SCRIPT = fileURLToPath(new URL('./python/tls_client.py', import.meta.url));
type PythonAttempt = { connected: boolean; cpu?: number; error?: string };

/** Debian's python3-socketio over TLS: verified against a CA, and pinned by fingerprint. */
describe.skipIf(!existsSync(PYTHON))('python-socketio over TLS', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'zenflow-pytls-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('connects when the certificate chains to the CA it was given', async () => {
    const ca = await makeTestCa();
    const leaf = await ca.leaf();
    writeFileSync(join(dir, 'ca.pem'), ca.cert);
    writeFileSync(join(dir, 'cert.pem'), leaf.cert);
    writeFileSync(join(dir, 'key.pem'), leaf.key);
    const t = await startTestServer({ tlsCertFile: join(dir, 'cert.pem'), tlsKeyFile: join(dir, 'key.pem') });
    try {
      const { stdout } = await run(PYTHON, [TLS_SCRIPT, t.url, await t.token(['read:system']), `ca:${join(dir, 'ca.pem')}`], { timeout: 30_000 });
      const out = JSON.parse(stdout) as { trusted: PythonAttempt };
      expect(out.trusted).toMatchObject({ connected: true, cpu: expect.any(Number) });
    } finally {
      await t.close();
    }
  });

  it('connects to the pinned self-signed certificate and refuses a wrong pin', async () => {
    const t = await startTestServer({ autoTls: true });
    try {
      const fingerprint = t.server.tlsState().fingerprint!;
      const { stdout } = await run(PYTHON, [TLS_SCRIPT, t.url, await t.token(['read:system']), `pin:${fingerprint}`], { timeout: 30_000 });
      const out = JSON.parse(stdout) as { trusted: PythonAttempt; wrong_pin: PythonAttempt };
      expect(out.trusted).toMatchObject({ connected: true });
      expect(out.wrong_pin.connected).toBe(false);
      expect(out.wrong_pin.error).toMatch(/ConnectionError/);
    } finally {
      await t.close();
    }
  });
});

describe('behind a reverse proxy (--trust-proxy)', () => {
  const viaProxy = (url: string, headers: Record<string, string>) => fetch(`${url}/api/health`, { headers: { 'x-forwarded-proto': 'https', ...headers } });

  it('takes the scheme from X-Forwarded-Proto only when told to', async () => {
    const trusting = await startTestServer({ trustProxy: true });
    const plain = await startTestServer();
    try {
      for (const [t, trusted] of [
        [trusting, true],
        [plain, false],
      ] as const) {
        const host = new URL(t.url).host;
        const res = await viaProxy(t.url, {});
        expect(res.headers.get('strict-transport-security'), `trusted=${trusted}`).toBe(trusted ? 'max-age=31536000' : null);
        // The page the proxy served is https://host: its origin passes only where the proxy is believed.
        expect((await viaProxy(t.url, { origin: `https://${host}` })).status).toBe(trusted ? 200 : 403);
        expect((await viaProxy(t.url, { origin: `http://${host}` })).status).toBe(trusted ? 403 : 200);
      }
    } finally {
      await trusting.close();
      await plain.close();
    }
  });
});
