import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

const dirs: string[] = [];
afterEach(() => {
  vi.doUnmock('keytar');
  vi.resetModules();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const dataDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'zenflow-secrets-unit-'));
  dirs.push(d);
  return d;
};

describe('the secret store without a keychain', () => {
  it('falls back to the 0600 file when keytar is not installed, saying so', async () => {
    vi.doMock('keytar', () => {
      throw new Error("Cannot find package 'keytar'");
    });
    const { FileSecretStore, openSecretStore } = await import('../../../electron/store/secret-store');
    const dir = dataDir();
    const store = await openSecretStore(dir, { service: 'zenflow-unit-absent' });
    expect(store).toBeInstanceOf(FileSecretStore);
    expect(store.location).toBe(join(dir, 'secrets.json'));
    expect((store as InstanceType<typeof FileSecretStore>).why).toBe('keychain support (the optional keytar module) is not installed');
    await store.set('k', 'v');
    expect(await store.get('k')).toBe('v');
  });

  it('says when the file store was chosen', async () => {
    const { FileSecretStore, openSecretStore } = await import('../../../electron/store/secret-store');
    const store = await openSecretStore(dataDir(), { preferFile: true });
    expect(store).toBeInstanceOf(FileSecretStore);
    expect((store as InstanceType<typeof FileSecretStore>).why).toBe('chosen with --secret-store file');
  });
});
