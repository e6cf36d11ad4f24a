import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, runCli } from '../helpers/cli';
import { httpsGet, makeTestCa, servedFingerprint, type TestCa } from '../helpers/tls';

/** `zenflow serve` with certificate files: start-up line, SIGHUP reload, refused flag combinations. */
describe('zenflow serve --tls-cert/--tls-key', () => {
  let dir: string;
  let ca: TestCa;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zenflow-cli-tls-'));
    ca = await makeTestCa();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const serveArgs = (...extra: string[]) => ['serve', '--port', '0', '--data-dir', join(dir, 'data'), '--secret-store', 'file', '--log-level', 'warn', ...extra];

  it('serves HTTPS, prints the fingerprint, and serves new files after SIGHUP', async () => {
    const first = await ca.leaf();
    writeFileSync(join(dir, 'cert.pem'), first.cert);
    writeFileSync(join(dir, 'key.pem'), first.key);
    const p = runCli(serveArgs('--tls-cert', join(dir, 'cert.pem'), '--tls-key', join(dir, 'key.pem')));
    try {
      const [, base] = await p.waitFor(/listening on (https:\/\/127\.0\.0\.1:\d+)/);
      await p.waitFor(new RegExp(`TLS certificate SHA-256 fingerprint: ${first.fingerprint}\n`));
      await expect(httpsGet(`${base}/api/health`, { ca: ca.cert })).resolves.toMatchObject({ status: 200 });

      const next = await ca.leaf('renewed');
      writeFileSync(join(dir, 'cert.pem'), next.cert);
      writeFileSync(join(dir, 'key.pem'), next.key);
      p.child.kill('SIGHUP');
      await p.waitFor(new RegExp(`TLS certificate reloaded. TLS certificate SHA-256 fingerprint: ${next.fingerprint}\n`));
      await expect(servedFingerprint(base!)).resolves.toBe(next.fingerprint);
    } finally {
      p.child.kill('SIGTERM');
    }
    expect(await p.exited).toEqual({ code: 0, signal: null });
  });

  it('refuses half a certificate pair and --insecure-http with a certificate', async () => {
    const half = await cli(serveArgs('--tls-cert', join(dir, 'cert.pem')));
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(/both a certificate and a key/);
    const both = await cli(serveArgs('--tls-cert', join(dir, 'cert.pem'), '--tls-key', join(dir, 'key.pem'), '--insecure-http'));
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--insecure-http contradicts TLS/);
  });
});
