import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createZenFlowServer } from '../../electron/server/app';
import { openSecretStore } from '../../electron/store/secret-store';
import { runCli } from '../helpers/cli';

const service = `zenflow-test-${process.pid}-${Date.now()}`;
const dirs: string[] = [];
const dataDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'zenflow-keychain-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Runs under test/with-keyring.sh: a real gnome-keyring Secret Service on a private D-Bus. */
describe.runIf(process.env.ZENFLOW_KEYRING_READY)('OS keychain (gnome-keyring via keytar)', () => {
  it('keeps the signing secret in the keychain, not on disk, and survives a restart', async () => {
    const dir = dataDir();
    const store = await openSecretStore(dir, { service });
    expect(store.kind).toBe('keychain');
    const first = await createZenFlowServer({ port: 0, dataDir: dir, logLevel: 'silent', engines: false, keychainService: service });
    await first.listen();
    const { token } = await first.tokens.issue({ permissions: ['read:system'] });
    await first.close();
    expect(await store.get('jwt-signing-secret')).toMatch(/^[\w-]{40,}$/);
    expect(existsSync(join(dir, 'secrets.json'))).toBe(false);

    const second = await createZenFlowServer({ port: 0, dataDir: dir, logLevel: 'silent', engines: false, keychainService: service });
    expect((await second.tokens.verify(token)).ok).toBe(true);
    await second.close();
    await store.delete('jwt-signing-secret');
    await store.delete('local-admin-token');
  });

  it('zenflow serve says the secret is in the keychain', async () => {
    const p = runCli(['serve', '--port', '0', '--data-dir', dataDir(), '--keychain-service', service, '--log-level', 'warn']);
    await p.waitFor(/Signing secret: OS keychain \(service "zenflow-test-/);
    p.child.kill('SIGTERM');
    expect(await p.exited).toEqual({ code: 0, signal: null });
  });
});

describe('no reachable keychain', () => {
  it('falls back to a 0600 file in the data dir and says so', async () => {
    const dir = dataDir();
    const p = runCli(['serve', '--port', '0', '--data-dir', dir, '--log-level', 'warn', '--keychain-service', service], {
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/zenflow-bus',
    });
    await p.waitFor(/Signing secret: file .*secrets\.json \(0600; no OS keychain reachable\)/, 15_000);
    p.child.kill('SIGTERM');
    expect(await p.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(join(dir, 'secrets.json'))).toBe(true);
  });
});
