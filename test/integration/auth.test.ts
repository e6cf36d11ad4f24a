import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { connectToClaudeZenFlow, ZenFlowRequestError } from '../../shared/sdk';
import { nextEvent, sleep, startTestServer, type TestServer } from '../helpers/server';

/** Connects with raw auth and returns the connect_error, or null when it connected. */
async function refusal(url: string, auth: Record<string, unknown> | undefined): Promise<{ message: string; code?: string } | null> {
  const socket = io(url, { auth, transports: ['websocket'], reconnection: false, timeout: 5000 });
  try {
    return await new Promise((resolve) => {
      socket.on('connect', () => resolve(null));
      socket.on('connect_error', (err: Error & { data?: { code?: string } }) => resolve({ message: err.message, code: err.data?.code }));
    });
  } finally {
    socket.disconnect();
  }
}

describe('authentication (docs/protocol.md §2)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ adminToken: 'automation-admin-token-0123456789', refreshLeadSeconds: 1 });
  });
  afterAll(() => t.close());

  it('refuses a connection without a token with missing_token', async () => {
    expect(await refusal(t.url, undefined)).toEqual({ message: 'auth: missing token', code: 'missing_token' });
    expect(await refusal(t.url, { token: '' })).toEqual({ message: 'auth: missing token', code: 'missing_token' });
  });

  it('refuses garbage, a foreign signature and a non-string token with invalid_token', async () => {
    expect((await refusal(t.url, { token: 'not-a-jwt' }))?.code).toBe('invalid_token');
    const foreign = await new SignJWT({ perms: ['*'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('mallory')
      .setJti('x')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('some-other-installation-secret!!'));
    expect(await refusal(t.url, { token: foreign })).toEqual({ message: 'auth: invalid token', code: 'invalid_token' });
    expect((await refusal(t.url, { token: { nested: true } }))?.code).toBe('missing_token');
  });

  it('refuses an expired token with token_expired', async () => {
    const token = await t.token(['*'], 1);
    await sleep(2100);
    expect(await refusal(t.url, { token })).toEqual({ message: 'auth: token expired', code: 'token_expired' });
  });

  it('refuses a revoked token with token_revoked', async () => {
    const { token, jti } = await t.server.tokens.issue({ permissions: ['read:system'] });
    t.server.tokens.revoke(jti);
    expect(await refusal(t.url, { token })).toEqual({ message: 'auth: token revoked', code: 'token_revoked' });
  });

  it('accepts the ZENFLOW_ADMIN_TOKEN with every permission', async () => {
    const client = await t.client({ token: 'automation-admin-token-0123456789' });
    await sleep(100);
    expect(client.permissions).toEqual(['*']);
    const res = await client.request('subscribe', 'system');
    expect(res.subscriptions).toHaveProperty('system');
  });

  it('connectToClaudeZenFlow resolves on connect and rejects on connect_error', async () => {
    const socket = await connectToClaudeZenFlow({ url: t.url, auth: { token: await t.token() } });
    expect(socket.connected).toBe(true);
    socket.disconnect();
    await expect(connectToClaudeZenFlow({ url: t.url, auth: { token: 'nope' }, autoReconnect: false })).rejects.toMatchObject({
      message: 'auth: invalid token',
      data: { code: 'invalid_token' },
    });
  });

  it('narrows: client-sent permissions intersect the token and cannot widen it', async () => {
    const narrowed = await t.client({ permissions: ['read:system'] });
    await expect(narrowed.request('swarm:create', { name: 'x', topology: 'mesh', agents: 1 })).rejects.toMatchObject({ code: 'forbidden' });
    const limited = await t.client({ token: await t.token(['read:system']), permissions: ['admin:system', 'read:system'] });
    await expect(limited.request('config:history', { component: 'system' })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('reports the effective permissions on connect', async () => {
    const token = await t.token(['admin:neural', 'read:system']);
    const client = t.client({ token, permissions: ['read:neural', 'read:system', 'write:swarms'] });
    const c = await client;
    await sleep(100);
    expect(c.permissions.sort()).toEqual(['read:neural', 'read:system']);
  });

  it('a revoked token’s live socket gets auth:error and is disconnected', async () => {
    const { token, jti } = await t.server.tokens.issue({ permissions: ['read:system'] });
    const client = await t.client({ token });
    const error = nextEvent<{ code: string }>(client, 'auth:error');
    const disconnected = new Promise<string>((r) => client.socket.once('disconnect', r));
    const res = await fetch(`${t.url}/api/tokens/${jti}`, { method: 'DELETE', headers: { authorization: `Bearer ${await t.token()}` } });
    expect(res.status).toBe(200);
    expect((await error).code).toBe('token_revoked');
    expect(await disconnected).toBe('io server disconnect');
  });

  it('offers a refresh token before expiry; the live socket keeps going under the new token', async () => {
    const token = await t.token(['read:system'], 3);
    const client = await t.client({ token });
    const offer = await nextEvent<{ refreshToken: string; expiresAt: number }>(client, 'auth:token:refresh', 5000);
    expect(offer.refreshToken).toMatch(/^[\w-]{20,}$/);
    // The SDK exchanges it itself; wait past the original expiry and check we are still connected and served.
    await sleep(3500);
    expect(client.socket.connected).toBe(true);
    expect(client.token).not.toBe(token);
    const state = await client.request('subscribe', 'system');
    expect(state.subscriptions).toHaveProperty('system');
    // A refresh token is single use.
    await expect(client.request('auth:refresh', { refreshToken: offer.refreshToken })).rejects.toMatchObject({ code: 'invalid_argument' });
  });

  it('ends a session whose token expires without refresh with auth:error token_expired', async () => {
    const token = await t.token(['read:system'], 2);
    const socket = io(t.url, { auth: { token }, transports: ['websocket'], reconnection: false });
    const error = await new Promise<{ code: string }>((resolve) => socket.on('auth:error', resolve));
    expect(error.code).toBe('token_expired');
    socket.disconnect();
  });

  it('refresh over REST returns a working token', async () => {
    const token = await t.token(['read:system'], 2);
    const client = await t.client({ token });
    const offer = await nextEvent<{ refreshToken: string }>(client, 'auth:token:refresh', 4000);
    client.close();
    const res = await fetch(`${t.url}/api/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: offer.refreshToken }) });
    const body = (await res.json()) as { token: string; expiresAt: number };
    // The SDK may already have used it; either it works now or it was already exchanged.
    if (res.status === 200) {
      expect(body.expiresAt).toBeGreaterThan(Date.now());
      expect(await refusal(t.url, { token: body.token })).toBeNull();
    } else {
      expect(res.status).toBe(400);
    }
  });

  it('permission requests: pending → approved with a wider token, or denied', async () => {
    const requesterToken = await t.token(['read:system'], 3600, 'requester');
    const requester = await t.client({ token: requesterToken });
    const admin = await t.client();
    const announced = nextEvent<{ requestId: string }>(admin, 'auth:permissions:requested');
    const ack = await requester.request('auth:permissions:request', { permissions: ['write:swarms'], reason: 'scale the prod swarm' });
    expect(ack).toEqual({ requestId: expect.any(String), status: 'pending' });
    expect((await announced).requestId).toBe(ack.requestId);

    const pending = await fetch(`${t.url}/api/auth/requests`, { headers: { authorization: `Bearer ${await t.token()}` } });
    expect(((await pending.json()) as { requests: { id: string }[] }).requests.map((r) => r.id)).toContain(ack.requestId);

    await expect(requester.request('auth:permissions:decide', { requestId: ack.requestId, approve: true })).rejects.toMatchObject({ code: 'forbidden' });
    const granted = nextEvent<{ requestId: string; permissions: string[]; token: string }>(requester, 'auth:permissions:granted');
    expect(await admin.request('auth:permissions:decide', { requestId: ack.requestId, approve: true })).toEqual({ requestId: ack.requestId, status: 'approved' });
    const grant = await granted;
    expect(grant.permissions.sort()).toEqual(['read:system', 'write:swarms']);
    const upgraded = await t.client({ token: grant.token });
    await expect(upgraded.request('swarm:delete', { swarmId: 'nope' })).rejects.not.toMatchObject({ code: 'forbidden' });
    await expect(admin.request('auth:permissions:decide', { requestId: ack.requestId, approve: false })).rejects.toMatchObject({ code: 'conflict' });

    const second = await requester.request('auth:permissions:request', { permissions: ['admin:system'], reason: 'please' });
    const denied = nextEvent<{ reason: string }>(requester, 'auth:permissions:denied');
    await admin.request('auth:permissions:decide', { requestId: second.requestId, approve: false, reason: 'not today' });
    expect((await denied).reason).toBe('not today');
  });

  it('REST: only /api/health is open; bad tokens get 401, missing scopes 403', async () => {
    expect((await fetch(`${t.url}/api/health`)).status).toBe(200);
    const none = await fetch(`${t.url}/api/whoami`);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: { code: 'forbidden', message: 'auth: missing token' } });
    expect((await fetch(`${t.url}/api/whoami`, { headers: { authorization: 'Bearer junk' } })).status).toBe(401);
    const reader = await t.token(['read:system']);
    const mint = await fetch(`${t.url}/api/tokens`, { method: 'POST', headers: { authorization: `Bearer ${reader}`, 'content-type': 'application/json' }, body: JSON.stringify({ permissions: ['*'] }) });
    expect(mint.status).toBe(403);
    expect(await mint.json()).toMatchObject({ error: { code: 'forbidden' } });
  });

  it('REST: POST /api/tokens mints with ttl strings and validates input', async () => {
    const admin = { authorization: `Bearer ${await t.token()}`, 'content-type': 'application/json' };
    const res = await fetch(`${t.url}/api/tokens`, { method: 'POST', headers: admin, body: JSON.stringify({ permissions: ['read:swarms'], ttl: '15m', userId: 'ci' }) });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { token: string; jti: string; expiresAt: number };
    expect(body.expiresAt - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(body.expiresAt - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    const who = await fetch(`${t.url}/api/whoami`, { headers: { authorization: `Bearer ${body.token}` } });
    expect(await who.json()).toMatchObject({ userId: 'ci', permissions: ['read:swarms'] });
    const bad = await fetch(`${t.url}/api/tokens`, { method: 'POST', headers: admin, body: JSON.stringify({ permissions: ['root'], ttl: '0s' }) });
    expect(bad.status).toBe(400);
    const err = (await bad.json()) as { error: { code: string; details: { path: string }[] } };
    expect(err.error.code).toBe('invalid_argument');
    expect(err.error.details.map((d) => d.path)).toEqual(expect.arrayContaining(['body.permissions.0', 'body.ttl']));
    const missing = await fetch(`${t.url}/api/tokens/does-not-exist`, { method: 'DELETE', headers: { authorization: admin.authorization } });
    expect(missing.status).toBe(404);
  });

  it('ZenFlowRequestError carries code, message and details', async () => {
    const client = await t.client();
    const err = await client.request('subscribe', 'bogus' as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZenFlowRequestError);
    expect(err).toMatchObject({ code: 'invalid_argument' });
  });
});
