import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawSocket } from '../helpers/raw-socket';
import { nextEvent, startTestServer, type TestServer } from '../helpers/server';

const ENV_ADMIN = 'automation-admin-token-0123456789';

/** Connects with raw auth and returns the connect_error's code, or 'connected'. */
async function attempt(url: string, token: string): Promise<string> {
  const socket = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, timeout: 5000 });
  try {
    return await new Promise((resolve) => {
      socket.on('connect', () => resolve('connected'));
      socket.on('connect_error', (err: Error & { data?: { code?: string } }) => resolve(err.data?.code ?? err.message));
    });
  } finally {
    socket.disconnect();
  }
}

const rest = (t: TestServer, token: string, path: string, init: RequestInit = {}) =>
  fetch(`${t.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });

describe('tokens never outgrow their grant', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ adminToken: ENV_ADMIN, refreshLeadSeconds: 1, maxTokenTtlSeconds: 7 * 86_400 });
  });
  afterAll(() => t.close());

  it('a refreshed token belongs to its origin’s family: revoking either ends both, and the family shares one budget', async () => {
    const { token, jti } = await t.server.tokens.issue({ permissions: ['read:system'], ttlSeconds: 3600, userId: 'fam' });
    const first = await t.server.tokens.verify(token);
    if (!first.ok) throw new Error('token did not verify');
    const offer = t.server.tokens.createRefreshToken(first.claims);
    // Two sockets of one token get one offer, not two independent tokens.
    expect(t.server.tokens.createRefreshToken(first.claims).refreshToken).toBe(offer.refreshToken);
    const refreshed = await t.server.tokens.refresh(offer.refreshToken);
    await expect(t.server.tokens.refresh(offer.refreshToken)).rejects.toMatchObject({ code: 'invalid_argument' });
    expect(t.server.tokens.get(refreshed.jti)?.family).toBe(jti);

    const c = await t.client({ token: refreshed.token });
    const ended = nextEvent(c, 'auth:error');
    t.server.tokens.revoke(jti);
    expect(await ended).toMatchObject({ code: 'token_revoked' });
    expect(await attempt(t.url, refreshed.token)).toBe('token_revoked');
  });

  it('a refresh token cannot revive a revoked or expired token', async () => {
    const revoked = await t.server.tokens.issue({ permissions: ['read:system'], ttlSeconds: 3600 });
    const v = await t.server.tokens.verify(revoked.token);
    if (!v.ok) throw new Error('token did not verify');
    const offer = t.server.tokens.createRefreshToken(v.claims);
    t.server.tokens.revoke(revoked.jti);
    const res = await fetch(`${t.url}/api/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: offer.refreshToken }),
    });
    expect(res.status).toBe(403);

    const short = await t.server.tokens.issue({ permissions: ['read:system'], ttlSeconds: 1 });
    const s = await t.server.tokens.verify(short.token);
    if (!s.ok) throw new Error('token did not verify');
    const late = t.server.tokens.createRefreshToken(s.claims);
    await expect.poll(async () => (await t.server.tokens.verify(short.token)).ok, { timeout: 3000, interval: 200 }).toBe(false);
    await expect(t.server.tokens.refresh(late.refreshToken)).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('expired') });
  });

  it('a caller mints only permissions it holds, within the configured maximum lifetime', async () => {
    const sysAdmin = await t.token(['admin:system'], 3600, 'sysadmin');
    const star = await rest(t, sysAdmin, '/api/tokens', { method: 'POST', body: JSON.stringify({ permissions: ['*'] }) });
    expect(star.status).toBe(403);
    expect(await star.json()).toMatchObject({ error: { code: 'forbidden', message: expect.stringContaining('admin:swarms') } });
    const own = await rest(t, sysAdmin, '/api/tokens', { method: 'POST', body: JSON.stringify({ permissions: ['read:system'] }) });
    expect(own.status).toBe(201);
    const tooLong = await rest(t, await t.token(), '/api/tokens', { method: 'POST', body: JSON.stringify({ permissions: ['read:system'], ttl: '8d' }) });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.json()).toMatchObject({ error: { code: 'invalid_argument', details: [expect.objectContaining({ path: 'ttl' })] } });
  });

  it('permission requests: capped per token, granted only within the approver’s own scopes, dropped when the requester is revoked', async () => {
    const { token, jti } = await t.server.tokens.issue({ permissions: ['read:system'], ttlSeconds: 3600, userId: 'asker' });
    const asker = await t.client({ token });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(((await asker.request('auth:permissions:request', { permissions: ['read:swarms'], reason: `r${i}` })) as { requestId: string }).requestId);
    await expect(asker.request('auth:permissions:request', { permissions: ['read:swarms'], reason: 'one more' })).rejects.toMatchObject({ code: 'rate_limited' });

    const narrowAdmin = await t.client({ token: await t.token(['admin:system'], 3600, 'narrow') });
    await expect(narrowAdmin.request('auth:permissions:decide', { requestId: ids[0]!, approve: true })).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining('read:swarms'),
    });
    const admin = await t.client();
    const granted = nextEvent<{ token: string; permissions: string[] }>(asker, 'auth:permissions:granted');
    await admin.request('auth:permissions:decide', { requestId: ids[0]!, approve: true });
    const grant = await granted;
    expect(grant.permissions.sort()).toEqual(['read:swarms', 'read:system']);
    // The grant is in the requester's family: revoking the requester ends it too, and drops what is pending.
    t.server.tokens.revoke(jti);
    expect(await attempt(t.url, grant.token)).toBe('token_revoked');
    const pending = (await (await rest(t, await t.token(), '/api/auth/requests')).json()) as { requests: { id: string }[] };
    expect(pending.requests.filter((r) => ids.includes(r.id))).toEqual([]);
  });

  it('approving for a requester that is not connected is refused: no token nobody can receive', async () => {
    const { token } = await t.server.tokens.issue({ permissions: ['read:system'], ttlSeconds: 3600, userId: 'gone' });
    const asker = await t.client({ token });
    const { requestId } = (await asker.request('auth:permissions:request', { permissions: ['read:api'], reason: 'charts' })) as { requestId: string };
    asker.close();
    await expect.poll(() => t.server.io.sockets.sockets.size < 50, { timeout: 2000 }).toBe(true);
    const admin = await t.client();
    await expect(admin.request('auth:permissions:decide', { requestId, approve: true })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('not connected'),
    });
    const before = t.server.tokens.list().length;
    expect(t.server.tokens.list().length).toBe(before);
  });

  it('lists the env admin token (never its value) and can disable it', async () => {
    const admin = await t.token();
    const { tokens } = (await (await rest(t, admin, '/api/tokens')).json()) as { tokens: { jti: string; kind: string }[] };
    const env = tokens.find((x) => x.kind === 'env');
    expect(env).toBeDefined();
    expect(JSON.stringify(tokens)).not.toContain(ENV_ADMIN);
    expect(await attempt(t.url, ENV_ADMIN)).toBe('connected');
    expect((await rest(t, admin, `/api/tokens/${env!.jti}`, { method: 'DELETE' })).status).toBe(200);
    expect(await attempt(t.url, ENV_ADMIN)).toBe('token_revoked');
    expect((await rest(t, ENV_ADMIN, '/api/whoami')).status).toBe(401);
  });
});

describe('authentication guesses are throttled everywhere', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ adminToken: ENV_ADMIN });
    const admin = await t.client();
    await admin.request('config:update', { component: 'api', settings: { rateLimitPerMinute: 30 } });
  });
  afterAll(() => t.close());

  it('closes an Engine.IO connection that keeps failing, and refuses the address once its budget is spent', async () => {
    const raw = await RawSocket.open(t.url);
    await raw.next((f) => f.startsWith('0{'));
    for (let i = 0; i < 20; i++) raw.send(`40${JSON.stringify({ token: `guess-${i}` })}`);
    await raw.closed;
    const refusals = raw.frames.filter((f) => f.startsWith('44'));
    // Five guesses evaluated; the rest refused unevaluated, then the connection is gone.
    expect(refusals.filter((f) => f.includes('invalid_token')).length).toBe(5);
    expect(refusals.every((f) => f.includes('invalid_token') || f.includes('rate_limited'))).toBe(true);

    const codes: string[] = [];
    for (let i = 0; i < 40; i++) codes.push(await attempt(t.url, `automation-admin-token-guess-${i}`));
    expect(codes.slice(0, 20).every((c) => c === 'invalid_token')).toBe(true);
    expect(codes.at(-1)).toBe('rate_limited');
    // The env admin token is behind the same wall: from this address even the right value waits.
    expect(await attempt(t.url, ENV_ADMIN)).toBe('rate_limited');
    const res = await fetch(`${t.url}/api/whoami`, { headers: { authorization: `Bearer ${ENV_ADMIN}` } });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('the local UI token', () => {
  it('is one per start: the same within a run, a new one next start, the old one revoked', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'zenflow-ui-token-'));
    try {
      const a = await startTestServer({ dataDir });
      const first = await a.server.localAdminToken();
      expect(await a.server.localAdminToken()).toBe(first);
      await a.close();
      const b = await startTestServer({ dataDir });
      const second = await b.server.localAdminToken();
      expect(second).not.toBe(first);
      expect(await attempt(b.url, first)).toBe('token_revoked');
      expect(await attempt(b.url, second)).toBe('connected');
      await b.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
