import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawSocket } from '../helpers/raw-socket';
import { collect, nextEvent, startTestServer, type TestServer } from '../helpers/server';
import { swarmEfficiency } from '../helpers/event-fixtures';

/** A low-privilege client with a valid token, trying to crash, stall or bloat the server. */
describe('a hostile client with a valid token', () => {
  let t: TestServer;
  let viewer: string;

  beforeAll(async () => {
    t = await startTestServer({ analysisTimeoutMs: 400, maxOutboundBufferBytes: 256 * 1024 });
    viewer = await t.token(['read:system', 'read:swarms', 'write:tasks'], 3600, 'mallory');
  });
  afterAll(() => t.close());

  const stillServes = async () => {
    const control = await t.client();
    expect(await control.request('system:status:get')).toHaveProperty('health');
  };

  it('cannot crash the server with a deep payload on an echoed event or a command', async () => {
    const raw = await RawSocket.open(t.url);
    expect(await raw.connect({ token: viewer })).toMatch(/^40/);
    // 100 000 levels: Socket.IO's encoder would overflow the stack echoing this.
    raw.send(`42["pong",${'['.repeat(100_000)}${']'.repeat(100_000)}]`);
    // Refused before it is parsed: the connection is dropped.
    await raw.closed;
    const moderate = await RawSocket.open(t.url);
    await moderate.connect({ token: viewer });
    moderate.send(`421["subscribe",${'{"a":'.repeat(40)}1${'}'.repeat(40)}]`);
    await moderate.closed;
    // Positive control: nesting within the bound is parsed and answered.
    const fine = await RawSocket.open(t.url);
    await fine.connect({ token: viewer });
    const refused = (await fine.call(3, 'subscribe', JSON.parse(`${'{"a":'.repeat(20)}1${'}'.repeat(20)}`))) as { error: { code: string } };
    expect(refused.error.code).toBe('invalid_argument');
    expect(await fine.call(4, 'system:status:get')).toHaveProperty('health');
    fine.close();
    await stillServes();
  });

  it('gets only a small scalar or flat object echoed as pong', async () => {
    const raw = await RawSocket.open(t.url);
    await raw.connect({ token: viewer });
    raw.send('42["pong",{"nested":{"deep":1}}]');
    raw.send(`42["pong","${'x'.repeat(10_000)}"]`);
    raw.send('42["pong",{"sent":12345,"id":"a"}]');
    // Frames arrive in order: the flat object's echo is the first pong back, so the others were dropped.
    expect(await raw.next((f) => f.startsWith('42["pong"'))).toBe('42["pong",{"sent":12345,"id":"a"}]');
    raw.close();
  });

  it('cannot stall the event loop with a tiny input that makes the parser backtrack', async () => {
    const c = await t.client({ token: viewer });
    await c.request('task:execute:immediate', { type: 'code-analysis', input: 'let warm = 1;' });
    const hostile = 'f<a>(g<b>('.repeat(8);
    expect(Buffer.byteLength(hostile)).toBeLessThan(100);
    const analysis = c.request('task:execute:immediate', { type: 'code-analysis', input: hostile }).catch((e: unknown) => e);
    // While the worker is stuck, the event loop answers others at once.
    const control = await t.client();
    const started = performance.now();
    await control.request('system:status:get');
    expect(performance.now() - started).toBeLessThan(250);
    expect(await analysis).toMatchObject({ code: 'unavailable', message: expect.stringContaining('timed out') });
    // The replaced worker serves the next analysis.
    expect(await c.request('task:execute:immediate', { type: 'code-analysis', input: 'let ok = 1;' })).toMatchObject({ confidence: 1 });
  });

  it('may have two analyses running at once; a third is refused, not queued behind them', async () => {
    const c = await t.client({ token: await t.token(['write:tasks'], 3600, 'analyst') });
    const slow = 'f<a>(g<b>('.repeat(8);
    const running = [1, 2].map(() => c.request('task:execute:immediate', { type: 'code-analysis', input: slow }).catch((e: unknown) => e));
    await expect(c.request('task:execute:immediate', { type: 'code-analysis', input: 'let x = 1;' })).rejects.toMatchObject({
      code: 'rate_limited',
      message: expect.stringContaining('2 code analysis requests of yours are running'),
    });
    for (const r of await Promise.all(running)) expect(r).toMatchObject({ code: 'unavailable' });
  });

  it('is cut off once it stops reading and its unsent frames pass the outbound bound; others are unaffected', async () => {
    const slow = await RawSocket.open(t.url);
    const slowId = (JSON.parse((await slow.connect({ token: viewer })).slice(2)) as { sid: string }).sid;
    expect(await slow.call(1, 'subscribe', 'swarms')).toHaveProperty('subscriptions');
    const healthy = await t.client();
    await healthy.request('subscribe', 'swarms');
    const got = collect(healthy, 'swarm:efficiency');
    // Stop reading: the kernel buffers fill, then Engine.IO's.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const padding = 'x'.repeat(60_000);
    for (let i = 0; i < 400; i++) {
      t.server.bus.publish('swarm:efficiency', { ...swarmEfficiency('s', { avgLatency: i }), padding });
      // The healthy client keeps up (it reads in this same process); the paused one cannot.
      if (i % 2 === 1) await expect.poll(() => got.items.length, { timeout: 10_000, interval: 5 }).toBeGreaterThanOrEqual(i - 1);
    }
    // The server dropped it (a client that does not read cannot even see the close).
    await expect.poll(() => t.server.io.sockets.sockets.has(slowId), { timeout: 5000 }).toBe(false);
    await expect.poll(() => got.items.length, { timeout: 10_000 }).toBe(400);
    got.stop();
    slow.ws.terminate();
  });

  it('counts every inbound event against its budget, pong included', async () => {
    const admin = await t.client();
    await admin.request('config:update', { component: 'api', settings: { rateLimitPerMinute: 40 } });
    try {
      const c = await t.client({ token: await t.token(['read:system'], 3600, 'flooder') });
      const echoes = collect(c, 'pong');
      const limited = nextEvent(c, 'api:rate:limit', 5000, (p) => p.limited === true);
      for (let i = 0; i < 100; i++) (c.socket as unknown as { emit(e: string, v: unknown): void }).emit('pong', i);
      await limited;
      await expect(c.request('system:status:get')).rejects.toMatchObject({ code: 'rate_limited' });
      // 40 inbound events a minute, whatever their name: at most 40 echoes.
      expect(echoes.items.length).toBeLessThanOrEqual(40);
      expect(echoes.items.length).toBeGreaterThan(20);
      echoes.stop();
    } finally {
      await admin.request('config:update', { component: 'api', settings: { rateLimitPerMinute: 1200 } });
    }
  });

  it('holds bounded delivery state: rate-limit keys, exclusions and filter values are capped, refusals change nothing', async () => {
    const c = await t.client({ token: viewer });
    const many = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`system:e${String.fromCharCode(97 + (i % 26))}x${'y'.repeat(Math.floor(i / 26))}`, { maxPerSecond: 1 }]));
    await expect(c.request('configure:rate-limit', many)).rejects.toMatchObject({ code: 'invalid_argument', message: expect.stringContaining('at most 64') });
    expect(await c.request('configure:rate-limit', {})).toEqual({ rateLimits: {} });

    await c.request('subscribe', 'swarms');
    for (let i = 0; i < 16; i++) await c.request('subscription:update', { action: 'remove', category: 'swarms', filter: { swarmIds: [`s${i}`] } });
    await expect(c.request('subscription:update', { action: 'remove', category: 'swarms', filter: { swarmIds: ['s16'] } })).rejects.toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining('at most 16 exclusions'),
    });
    const ids = (n: number, p: string) => Array.from({ length: n }, (_, i) => `${p}${i}`);
    await c.request('subscribe', { categories: ['swarms'], filters: { swarms: { swarmIds: ids(500, 'a') } } });
    await expect(c.request('subscribe', { categories: ['system'], filters: { system: { events: ids(500, 'system:e'), severity: ['info', 'warning'] } } })).rejects.toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining('at most 1000 values'),
    });
    const state = (await c.request('subscribe:filtered', { category: 'swarms', filter: { swarmIds: ['one'] } })) as { subscriptions: Record<string, unknown> };
    expect(Object.keys(state.subscriptions)).toEqual(['swarms']);
  });

  it('gets a bounded refusal however many fields it gets wrong: errors never echo a payload back', async () => {
    const raw = await RawSocket.open(t.url);
    await raw.connect({ token: viewer });
    const junk = Object.fromEntries(Array.from({ length: 15_000 }, (_, i) => [`k${i}${'x'.repeat(40)}`, i]));
    raw.send(`427${JSON.stringify(['swarm:analyze', junk])}`);
    const frame = await raw.next((f) => f.startsWith('437['));
    expect(frame.length).toBeLessThan(10_000);
    const [ack] = JSON.parse(frame.slice(3)) as [{ error: { code: string; message: string; details: unknown[] } }];
    expect(ack.error).toMatchObject({ code: 'invalid_argument', message: expect.stringContaining('more)') });
    expect(ack.error.details.length).toBeLessThanOrEqual(20);
    raw.close();
  });

  it('refuses a reserved property name as a role whole, leaving no half-created swarm', async () => {
    const c = await t.client();
    const before = ((await c.request('swarm:create', { name: 'ok', topology: 'mesh', agents: 1 })) as { id: string }).id;
    for (const role of ['__proto__', '_x', '\u0000x', 'a'.repeat(65)]) {
      await expect(
        c.request('swarm:create', {
          name: 'evil',
          topology: 'mesh',
          agents: [
            { role: 'coder', count: 1 },
            { role, count: 2 },
          ],
        }),
      ).rejects.toMatchObject({
        code: 'invalid_argument',
      });
    }
    expect((await c.request('swarm:create', { name: 'ctor', topology: 'mesh', agents: [{ role: 'constructor', count: 1 }] })) as { agents: unknown[] }).toMatchObject({
      agents: [expect.objectContaining({ role: 'constructor' })],
    });
    const res = await fetch(`${t.url}/api/swarms`, { headers: { authorization: `Bearer ${await t.token()}` } });
    const { swarms } = (await res.json()) as { swarms: { id: string; name: string }[] };
    expect(swarms.map((s) => s.name).filter((n) => n === 'evil')).toEqual([]);
    expect(swarms.some((s) => s.id === before)).toBe(true);
  });

  it('never sees another client’s address in api:rate:limit', async () => {
    const watcher = await t.client({ token: await t.token(['read:api'], 3600, 'watcher') });
    await watcher.request('subscribe', 'api');
    const admin = await t.client();
    await admin.request('config:update', { component: 'api', settings: { rateLimitPerMinute: 10 } });
    try {
      const seen = nextEvent(watcher, 'api:rate:limit', 5000, (p) => String(p.clientId).startsWith('address#'));
      for (let i = 0; i < 12; i++) await fetch(`${t.url}/api/swarms`).then((r) => r.body?.cancel());
      const event = await seen;
      expect(JSON.stringify(event)).not.toMatch(/127\.0\.0\.1|::1|::ffff/);
    } finally {
      await admin.request('config:update', { component: 'api', settings: { rateLimitPerMinute: 1200 } });
    }
  });

  it('keeps the data directory private: created 0700, database files 0600', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'zenflow-private-'));
    const dataDir = join(parent, 'fresh', 'data');
    const other = await startTestServer({ dataDir });
    try {
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      for (const f of ['zenflow.db', 'zenflow.db-wal']) expect(statSync(join(dataDir, f)).mode & 0o777, f).toBe(0o600);
    } finally {
      await other.close();
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('accepts a body-less DELETE sent with content-type: application/json', async () => {
    const admin = await t.token();
    const { jti } = await t.server.tokens.issue({ permissions: ['read:system'], ttlSeconds: 60 });
    const res = await fetch(`${t.url}/api/tokens/${jti}`, { method: 'DELETE', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ jti, revoked: true });
  });
});
