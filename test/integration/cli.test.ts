import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, runCli } from '../helpers/cli';

const dirs: string[] = [];
const dataDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'zenflow-cli-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const serveArgs = (dir: string, ...extra: string[]) => ['serve', '--port', '0', '--data-dir', dir, '--secret-store', 'file', '--log-level', 'warn', ...extra];

describe('zenflow serve (headless)', () => {
  it('answers /api/health within 5 s, prints a working UI URL, and shuts down cleanly on SIGTERM', async () => {
    const dir = dataDir();
    const started = Date.now();
    const p = runCli(serveArgs(dir));
    const [, base] = await p.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
    const health = await fetch(`${base}/api/health`);
    const elapsed = Date.now() - started;
    expect(health.status).toBe(200);
    expect(elapsed).toBeLessThan(5000);

    const [, token] = await p.waitFor(/\?token=([\w.-]+)/);
    expect(p.stdout()).toContain(`Signing secret: file ${join(dir, 'secrets.json')}`);
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    const who = await fetch(`${base}/api/whoami`, { headers: { authorization: `Bearer ${token}` } });
    expect(await who.json()).toMatchObject({ permissions: ['*'], server: { mode: 'headless' } });

    const socket = io(base!, { auth: { token }, transports: ['websocket'], reconnection: false });
    await new Promise<void>((r) => socket.on('connect', () => r()));
    const told = new Promise((r) => socket.on('server:shutdown' as never, r as never));
    p.child.kill('SIGTERM');
    expect(await told).toMatchObject({ reason: expect.any(String) });
    expect(await p.exited).toEqual({ code: 0, signal: null });
    socket.disconnect();
  });

  it('prints a new admin UI token each start and revokes the previous one', async () => {
    const dir = dataDir();
    const first = runCli(serveArgs(dir));
    const [, tokenA] = await first.waitFor(/\?token=([\w.-]+)/);
    first.child.kill('SIGINT');
    expect(await first.exited).toEqual({ code: 0, signal: null });
    const second = runCli(serveArgs(dir));
    const [url, tokenB] = (await second.waitFor(/(http:\/\/[\d.:]+)\/\?token=([\w.-]+)/)).slice(1);
    const whoami = (token: string) => fetch(`${url}/api/whoami`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
    expect(tokenB).not.toBe(tokenA);
    expect(await whoami(tokenB!)).toBe(200);
    expect(await whoami(tokenA!)).toBe(401);
    second.child.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
  });

  it('refuses a non-loopback bind without --lan, and announces LAN URLs with it', async () => {
    const refused = await cli(serveArgs(dataDir(), '--host', '0.0.0.0'));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/refusing to bind 0\.0\.0\.0.*--lan/);

    const lan = runCli(serveArgs(dataDir(), '--host', '0.0.0.0', '--lan'));
    await lan.waitFor(/listening on/);
    await lan.waitForStderr(/LAN EXPOSURE ENABLED/);
    lan.child.kill('SIGTERM');
    expect(await lan.exited).toEqual({ code: 0, signal: null });
  });

  it('accepts ZENFLOW_ADMIN_TOKEN for automation', async () => {
    const p = runCli(serveArgs(dataDir()), { ZENFLOW_ADMIN_TOKEN: 'ci-automation-token-abcdef123456' });
    const [, base] = await p.waitFor(/listening on (http:\/\/[\d.:]+)/);
    const who = await fetch(`${base}/api/whoami`, { headers: { authorization: 'Bearer ci-automation-token-abcdef123456' } });
    expect(await who.json()).toMatchObject({ userId: 'admin', permissions: ['*'] });
    p.child.kill('SIGTERM');
    expect(await p.exited).toEqual({ code: 0, signal: null });
  });

  it('rejects bad flags with a clear message', async () => {
    const r = await cli(['serve', '--port', 'abc']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/port must be an integer/);
  });
});

describe('zenflow token', () => {
  it('issues, lists and revokes; a running server drops the revoked token’s sockets', async () => {
    const dir = dataDir();
    const store = ['--data-dir', dir, '--secret-store', 'file'];
    const issued = await cli(['token', 'issue', '--permissions', 'read:system', 'write:swarms', '--ttl', '2h', '--user', 'ops', '--json', ...store]);
    expect(issued.code).toBe(0);
    const { token, jti, expiresAt } = JSON.parse(issued.stdout) as { token: string; jti: string; expiresAt: number };
    expect(expiresAt - Date.now()).toBeGreaterThan(7100_000);

    const listed = await cli(['token', 'list', '--json', ...store]);
    expect(JSON.parse(listed.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ jti, userId: 'ops', permissions: ['read:system', 'write:swarms'] })]));

    const server = runCli(serveArgs(dir));
    const [, base] = await server.waitFor(/listening on (http:\/\/[\d.:]+)/);
    const socket = io(base!, { auth: { token }, transports: ['websocket'], reconnection: false });
    await new Promise<void>((r) => socket.on('connect', () => r()));
    const authError = new Promise<{ code: string }>((r) => socket.on('auth:error' as never, r as never));
    const revoked = await cli(['token', 'revoke', jti, ...store]);
    expect(revoked.stdout).toContain(`revoked ${jti}`);
    expect((await authError).code).toBe('token_revoked');
    socket.disconnect();
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });

    expect((await cli(['token', 'revoke', 'no-such-jti', ...store])).code).not.toBe(0);
    const bad = await cli(['token', 'issue', '--permissions', 'root', ...store]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown permission scope: root/);
  });
});
