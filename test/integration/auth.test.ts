import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { connectToClaudeZenFlow, ZenFlowRequestError } from '../../shared/sdk';
import { ManualClock } from '../../electron/engines/clock';
import { collect, nextEvent, startTestServer, type TestServer } from '../helpers/server';

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

  it('refuses a revoked token with token_revoked', async () => {
    const { token, jti } = await t.server.tokens.issue({ permissions: ['read:system'] });
    t.server.tokens.revoke(jti);
    expect(await refusal(t.url, { token })).toEqual({ message: 'auth: token revoked', code: 'token_revoked' });
  });

  it('accepts the ZENFLOW_ADMIN_TOKEN with every permission', async () => {
    const client = await t.client({ token: 'automation-admin-token-0123456789' });
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
    const mint = await fetch(`${t.url}/api/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${reader}`, 'content-type': 'application/json' },
      body: JSON.stringify({ permissions: ['*'] }),
    });
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

/** Token lifetimes on a server on virtual time: expiry and refresh happen when the test moves the clock. */
describe('token lifetimes (virtual time)', () => {
  let t: TestServer;
  let clock: ManualClock;
  beforeAll(async () => {
    clock = new ManualClock(Date.now());
    t = await startTestServer({ refreshLeadSeconds: 1 }, { clock });
  });
  afterAll(() => t.close());

  /** A raw socket (no SDK, so nobody exchanges refresh offers for it) that has had its auth:session. */
  async function rawSession(token: string) {
    const socket = io(t.url, { auth: { token }, transports: ['websocket'], reconnection: false });
    const seen: string[] = [];
    socket.onAny((event: string) => seen.push(event));
    await new Promise<void>((resolve) => socket.once('auth:session', () => resolve()));
    return { socket, seen };
  }

  it('a token connects until it expires, and is refused with token_expired from then on', async () => {
    // JWT expiry has whole seconds: the token ends within the 60th second after issue.
    const token = await t.token(['*'], 60);
    clock.advance(59_000);
    expect(await refusal(t.url, { token })).toBeNull();
    clock.advance(1_000);
    expect(await refusal(t.url, { token })).toEqual({ message: 'auth: token expired', code: 'token_expired' });
  });

  it('offers a refresh before expiry, then ends a session that did not take it with auth:error token_expired', async () => {
    const { socket, seen } = await rawSession(await t.token(['read:system'], 60));
    const offered = new Promise((resolve) => socket.once('auth:token:refresh', resolve));
    clock.advance(59_000);
    await offered;
    // The offer came and the session lives: a request still answers (and no auth:error came before it).
    expect(await socket.timeout(5000).emitWithAck('subscribe', 'system')).toMatchObject({ subscriptions: { system: expect.any(Object) } });
    expect(seen).not.toContain('auth:error');
    const error = new Promise<{ code: string }>((resolve) => socket.once('auth:error', resolve));
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    clock.advance(1_000);
    expect((await error).code).toBe('token_expired');
    expect(await disconnected).toBe('io server disconnect');
  });

  it('the SDK takes the offer; its socket lives on past the first token’s expiry under the new token', async () => {
    const token = await t.token(['read:system'], 60);
    const client = await t.client({ token });
    const offered = nextEvent<{ refreshToken: string }>(client, 'auth:token:refresh');
    const exchanged = new Promise<string>((resolve) => {
      const off = client.onTokenChange((next) => {
        off();
        resolve(next);
      });
    });
    clock.advance(59_000);
    const offer = await offered;
    expect(offer.refreshToken).toMatch(/^[\w-]{20,}$/);
    expect(await exchanged).not.toBe(token);
    expect(client.token).not.toBe(token);
    const authErrors = collect(client, 'auth:error');
    clock.advance(30_000);
    const state = await client.request('subscribe', 'system');
    expect(state.subscriptions).toHaveProperty('system');
    expect(client.socket.connected).toBe(true);
    // Anything the expiry had sent would have come before that answer, on the same socket.
    expect(authErrors.items).toEqual([]);
    // A refresh token is single use.
    await expect(client.request('auth:refresh', { refreshToken: offer.refreshToken })).rejects.toMatchObject({ code: 'invalid_argument' });
  });

  it('a refresh offer is exchanged over REST for a working token, once', async () => {
    const { socket } = await rawSession(await t.token(['read:system'], 60));
    const offered = new Promise<{ refreshToken: string }>((resolve) => socket.once('auth:token:refresh', resolve));
    clock.advance(59_000);
    const { refreshToken } = await offered;
    const exchange = () => fetch(`${t.url}/api/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken }) });
    const res = await exchange();
    expect(res.status).toBe(200);
    const body = (await res.json()) as { token: string; expiresAt: number };
    expect(body.expiresAt).toBeGreaterThan(clock.now());
    expect(await refusal(t.url, { token: body.token })).toBeNull();
    expect((await exchange()).status).toBe(400);
    socket.disconnect();
  });
});
