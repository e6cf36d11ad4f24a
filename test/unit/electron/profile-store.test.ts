import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProfileStore } from '../../../electron/main/profile-store';
import { FakeSecretStore } from './fakes';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.secret-remote-token.sig';

describe('profile store', () => {
  let dir: string;
  let file: string;
  let secrets: FakeSecretStore;
  let store: ProfileStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'zenflow-profiles-'));
    file = join(dir, 'profiles.json');
    secrets = new FakeSecretStore();
    store = new ProfileStore(file, secrets);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the token in the keychain under profile:<id> and never in the JSON file', async () => {
    const saved = await store.save({ name: 'Prod', url: 'https://zen.example.com', token: TOKEN });
    expect(secrets.values.get(`profile:${saved.id}`)).toBe(TOKEN);
    const onDisk = readFileSync(file, 'utf8');
    expect(onDisk).not.toContain(TOKEN);
    expect(onDisk).not.toMatch(/token/i);
    expect(JSON.parse(onDisk)).toEqual({ version: 1, activeId: 'local', profiles: [{ id: saved.id, name: 'Prod', url: 'https://zen.example.com' }] });
  });

  it('strips a token smuggled into the input before writing', async () => {
    await store.save({ name: 'Prod', url: 'https://zen.example.com', ...{ secret: TOKEN } });
    expect(readFileSync(file, 'utf8')).not.toContain(TOKEN);
  });

  it('lists profiles without tokens, only whether one is stored', async () => {
    const a = await store.save({ name: 'A', url: 'https://a.example', token: TOKEN });
    const b = await store.save({ name: 'B', url: 'http://10.0.0.2:3456' });
    const list = await store.list();
    expect(list).toEqual([
      { id: a.id, name: 'A', url: 'https://a.example', fingerprint: null, hasToken: true, active: false },
      { id: b.id, name: 'B', url: 'http://10.0.0.2:3456', fingerprint: null, hasToken: false, active: false },
    ]);
    expect(JSON.stringify(list)).not.toContain(TOKEN);
  });

  it('updates in place, keeping the stored token when none is given', async () => {
    const a = await store.save({ name: 'A', url: 'https://a.example', token: TOKEN });
    await store.save({ id: a.id, name: 'A2', url: 'https://a2.example' });
    expect(await store.list()).toEqual([{ id: a.id, name: 'A2', url: 'https://a2.example', fingerprint: null, hasToken: true, active: false }]);
    await store.save({ id: a.id, name: 'A2', url: 'https://a2.example', token: 'new-token' });
    expect(secrets.values.get(`profile:${a.id}`)).toBe('new-token');
  });

  it('refuses to update an unknown id', async () => {
    await expect(store.save({ id: 'missing', name: 'X', url: 'https://x.example' })).rejects.toThrow('no profile with id missing');
  });

  it('activates, reports the active profile with its token, and falls back to local', async () => {
    const a = await store.save({ name: 'A', url: 'https://a.example', token: TOKEN });
    expect(await store.active()).toEqual({ mode: 'local' });
    await store.activate(a.id);
    expect(await store.active()).toEqual({ mode: 'remote', profile: { id: a.id, name: 'A', url: 'https://a.example' }, token: TOKEN });
    expect((await store.list())[0]?.active).toBe(true);
    await store.activate('local');
    expect(await store.active()).toEqual({ mode: 'local' });
    await expect(store.activate('nope')).rejects.toThrow('no profile with id nope');
  });

  it('removing a profile deletes its keychain entry and deactivates it', async () => {
    const a = await store.save({ name: 'A', url: 'https://a.example', token: TOKEN });
    await store.activate(a.id);
    await store.remove(a.id);
    expect(secrets.values.size).toBe(0);
    expect(await store.list()).toEqual([]);
    expect(await store.active()).toEqual({ mode: 'local' });
    await expect(store.remove(a.id)).rejects.toThrow();
  });

  it('refuses to save a token when only the plain-file secret store is available', async () => {
    const fileOnly = new ProfileStore(file, new FakeSecretStore('file'));
    await expect(fileOnly.save({ name: 'A', url: 'https://a.example', token: TOKEN })).rejects.toThrow(/keychain/);
    await expect(fileOnly.list()).resolves.toEqual([]);
    await expect(fileOnly.save({ name: 'A', url: 'https://a.example' })).resolves.toMatchObject({ hasToken: false });
  });

  it('treats a corrupt file as empty', async () => {
    writeFileSync(file, '{ not json');
    expect(await store.list()).toEqual([]);
    writeFileSync(file, JSON.stringify({ version: 9 }));
    expect(await store.active()).toEqual({ mode: 'local' });
  });

  it('remembers the pinned certificate across renames, drops it when the address changes, and refuses a malformed pin', async () => {
    const pin = Array.from({ length: 32 }, () => '7E').join(':');
    const p = await store.save({ name: 'Lab', url: 'https://192.168.1.20:3456' });
    expect(p.fingerprint).toBeNull();
    await store.pin(p.id, pin);
    expect(store.pins()).toEqual([expect.objectContaining({ id: p.id, fingerprint: pin })]);
    await expect(store.save({ id: p.id, name: 'Lab (renamed)', url: 'https://192.168.1.20:3456' })).resolves.toMatchObject({ fingerprint: pin });
    await expect(store.save({ id: p.id, name: 'Lab', url: 'https://192.168.1.21:3456' })).resolves.toMatchObject({ fingerprint: null });
    await expect(store.pin(p.id, 'AB:CD')).rejects.toThrow(/fingerprint/);
    await expect(store.pin('nope', pin)).rejects.toThrow(/no profile/);
    expect(JSON.parse(readFileSync(file, 'utf8')).profiles[0]).not.toHaveProperty('fingerprint');
  });
});
