import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRemoteAddress, lanDevices, LocalServerHost, type ServerFactory } from '../../../electron/main/lan';
import { PairingCodes } from '../../../electron/main/pairing';
import { createZenFlowServer } from '../../../electron/server/app';
import { FileSecretStore } from '../../../electron/store/secret-store';
import { pinnedFetch } from '../../helpers/tls';
import type { TokenRecord } from '../../../electron/store/tokens-repo';

describe('LAN helpers', () => {
  it('counts only sockets from other machines', () => {
    for (const local of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '127.3.4.5']) expect(isRemoteAddress(local), local).toBe(false);
    for (const remote of ['192.168.1.20', '::ffff:10.0.0.7', 'fe80::1']) expect(isRemoteAddress(remote), remote).toBe(true);
  });

  it('groups live device tokens per device, newest permissions, earliest pairing', () => {
    const rec = (over: Partial<TokenRecord>): TokenRecord => ({
      jti: 'j',
      userId: 'lan:0a1b2c3d:phone',
      permissions: ['read:*'],
      kind: 'lan-device',
      family: 'j',
      issuedAt: 1000,
      expiresAt: 10_000,
      revokedAt: null,
      ...over,
    });
    const devices = lanDevices(
      [
        rec({ jti: 'b', issuedAt: 2000, expiresAt: 20_000, permissions: ['read:*', 'write:tasks'], kind: 'refreshed' }),
        rec({ jti: 'a' }),
        rec({ jti: 'c', userId: 'lan:ffffffff:laptop', revokedAt: 1500 }),
        rec({ jti: 'd', userId: 'lan:eeeeeeee:old', expiresAt: 4000 }),
        rec({ jti: 'e', userId: 'local-admin' }),
      ],
      5000,
    );
    expect(devices).toEqual([{ id: 'lan:0a1b2c3d:phone', name: 'phone', permissions: ['read:*', 'write:tasks'], pairedAt: 1000, expiresAt: 20_000 }]);
  });
});

/**
 * A real server, kept on loopback: the factory pins the host to 127.0.0.1 while LAN
 * mode still adds the pairing endpoint, so nothing is exposed while testing.
 */
describe('local server host', () => {
  let dir: string;
  let hosts: LocalServerHost[];
  let blocker: Server | null;
  const factory: ServerFactory = (options, extras) => createZenFlowServer({ ...options, host: '127.0.0.1', engines: false, logLevel: 'silent' }, extras);
  const makeHost = (port = 0, pairing = new PairingCodes()) => {
    const host = new LocalServerHost({ dataDir: dir, secretStore: new FileSecretStore(join(dir, 'secrets.json')), allowedOrigins: [], webRoot: null, port, factory, pairing });
    hosts.push(host);
    return host;
  };
  /** LAN hosting speaks HTTPS with the host's self-signed certificate: talk to it as a paired device does, pinned. */
  const lanFetch = (host: LocalServerHost, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) =>
    pinnedFetch(`${host.url ?? ''}${path}`, host.fingerprint ?? '', init);
  const pair = (host: LocalServerHost, body: unknown) =>
    lanFetch(host, '/api/pair', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'zenflow-lan-'));
    hosts = [];
    blocker = null;
  });
  afterEach(async () => {
    for (const host of hosts) await host.close();
    await new Promise<void>((done) => (blocker ? blocker.close(() => done()) : done()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts on loopback with LAN off and hands out the local admin connection', async () => {
    const host = makeHost();
    await host.start();
    const { url, token } = await host.connection();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(token.split('.')).toHaveLength(3);
    await expect(host.state()).resolves.toEqual({ enabled: false, urls: [], clients: 0, fingerprint: null, devices: [] });
    expect((await fetch(`${url}/api/pair`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status).toBe(404);
    await expect(host.pair()).rejects.toThrow(/LAN hosting/);
  });

  it('takes a free port when the preferred one is busy, and keeps it across LAN restarts', async () => {
    blocker = createServer();
    const busy = await new Promise<number>((done) => blocker?.listen(0, '127.0.0.1', () => done((blocker?.address() as { port: number }).port)));
    const host = makeHost(busy);
    await host.start();
    const port = new URL(host.url ?? '').port;
    expect(Number(port)).not.toBe(busy);
    await host.setLan(true);
    expect(new URL(host.url ?? '').port).toBe(port);
  });

  it('pairs a device with a single-use code for a read-only token, and revokes it', async () => {
    const host = makeHost();
    await host.start();
    const on = await host.setLan(true);
    expect(on.enabled).toBe(true);
    expect(on.pairingCode).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(host.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(on.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(on.fingerprint).toBe(host.fingerprint);

    expect((await pair(host, { code: 'WRONG-CODE' })).status).toBe(403);
    expect((await pair(host, { nope: 1 })).status).toBe(400);

    const ok = await pair(host, { code: on.pairingCode?.toLowerCase(), device: 'Ana’s phone' });
    expect(ok.status).toBe(200);
    const issued = (await ok.json()) as { token: string; permissions: string[]; deviceId: string };
    expect(issued.permissions).toEqual(['read:*']);
    expect(issued.deviceId).toMatch(/^lan:[a-f0-9]{8}:Ana’s phone$/);
    expect((await pair(host, { code: on.pairingCode })).status).toBe(403);

    const whoami = await lanFetch(host, '/api/whoami', { headers: { authorization: `Bearer ${issued.token}` } });
    expect(whoami.status).toBe(200);
    expect(await whoami.json()).toMatchObject({ userId: issued.deviceId });

    const state = await host.state();
    expect(state.pairingCode).toBeUndefined();
    expect(state.devices).toEqual([expect.objectContaining({ id: issued.deviceId, name: 'Ana’s phone', permissions: ['read:*'] })]);

    const after = await host.revokeDevice(issued.deviceId);
    expect(after.devices).toEqual([]);
    const refused = await lanFetch(host, '/api/whoami', { headers: { authorization: `Bearer ${issued.token}` } });
    expect(refused.status).toBe(401);
    await expect(host.revokeDevice(issued.deviceId)).rejects.toThrow(/no paired device/);
  });

  it('turning LAN off drops the pairing endpoint and any live code', async () => {
    const pairing = new PairingCodes();
    const host = makeHost(0, pairing);
    await host.start();
    const { pairingCode } = await host.setLan(true);
    const off = await host.setLan(false);
    expect(off).toMatchObject({ enabled: false });
    expect(off.pairingCode).toBeUndefined();
    expect(pairing.redeem(pairingCode ?? '')).toBe(false);
    expect(host.url).toMatch(/^http:/);
    expect(
      (await fetch(`${host.url ?? ''}/api/pair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: pairingCode }) })).status,
    ).toBe(404);
  });

  it('serializes calls: a state read during a restart waits for the new server', async () => {
    const host = makeHost();
    await host.start();
    const [, state, connection] = await Promise.all([host.setLan(true), host.state(), host.connection()]);
    expect(state.enabled).toBe(true);
    expect(connection.url).toBe(host.url);
  });
});
