import { freemem, totalmem } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, nextEvent, startTestServer, type TestServer } from '../helpers/server';

describe('system engine over the wire (measured numbers)', () => {
  let t: TestServer;
  let admin: string;
  beforeAll(async () => {
    t = await startTestServer({ engines: true });
    admin = `Bearer ${await t.token()}`;
  });
  afterAll(() => t.close());

  it('system:status:get answers with measured figures clients read', async () => {
    const c = await t.client();
    const s = await c.request('system:status:get');
    expect(['healthy', 'degraded', 'critical']).toContain(s.health.overall);
    expect(s.performance.cpu).toBeGreaterThanOrEqual(0);
    expect(s.performance.cpu).toBeLessThanOrEqual(100);
    const usedPct = (1 - freemem() / totalmem()) * 100;
    // "available" memory excludes reclaimable cache, so the engine's figure is at most the naive one.
    expect(s.performance.memory).toBeLessThanOrEqual(usedPct + 5);
    expect(s.performance.memory).toBeGreaterThan(0);
    expect(s.swarms.active).toBeGreaterThanOrEqual(0);
    expect(s.timestamp).toBeGreaterThan(Date.now() - 60_000);
  });

  it('subscribing to system sends the latest status at once, through the socket’s filter', async () => {
    const c = await t.client();
    const first = nextEvent(c, 'system:status', 2000);
    await c.request('subscribe', 'system');
    expect((await first).health).toBeDefined();

    const picky = await t.client();
    const none = collect(picky, 'system:status');
    await picky.request('subscribe', { categories: ['system'], filters: { system: { severity: ['critical'] } } });
    // The snapshot is sent with the subscribe (the first client got one): a later round trip shows none came.
    await picky.request('configure:rate-limit', {});
    expect(none.items).toEqual([]);
  });

  it('REST mirrors: status, history for charts, alerts, recommendations', async () => {
    const status = await fetch(`${t.url}/api/system/status`, { headers: { authorization: admin } });
    expect(((await status.json()) as { health: { overall: string } }).health.overall).toBeDefined();
    const history = await fetch(`${t.url}/api/system/history?window=15m`, { headers: { authorization: admin } });
    const body = (await history.json()) as { points: { cpu: number; memory: number }[] };
    expect(body.points.length).toBeGreaterThanOrEqual(1);
    const bad = await fetch(`${t.url}/api/system/history?window=3d`, { headers: { authorization: admin } });
    expect(bad.status).toBe(400);
    expect((await fetch(`${t.url}/api/system/alerts`, { headers: { authorization: admin } })).status).toBe(200);
    const missing = await fetch(`${t.url}/api/system/alerts/nope/ack`, { method: 'POST', headers: { authorization: admin } });
    expect(missing.status).toBe(404);
    const recs = await fetch(`${t.url}/api/system/recommendations`, { headers: { authorization: admin } });
    expect(Array.isArray(((await recs.json()) as { recommendations: unknown[] }).recommendations)).toBe(true);
  });

  it('answers malformed URLs and bodies with the error envelope', async () => {
    for (const [path, init] of [
      ['/api/swarms/%00%ff', {}],
      [`/api/tokens/${'a'.repeat(5000)}`, { method: 'DELETE' }],
      ['/api/swarms', { method: 'POST', body: '{bad json', headers: { 'content-type': 'application/json' } }],
      ['/api/swarms', { method: 'POST', body: 'x', headers: { 'content-type': 'text/html' } }],
    ] as [string, RequestInit][]) {
      const res = await fetch(`${t.url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: admin } });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(await res.json()).toMatchObject({ error: { code: 'invalid_argument', message: expect.any(String) } });
    }
  });

  it('system:recommendations:get takes a severity threshold and a focus', async () => {
    const c = await t.client();
    const r = await c.request('system:recommendations:get', { focus: ['performance', 'resource-usage'], severity: 'medium-and-above' });
    expect(Array.isArray(r.recommendations)).toBe(true);
  });
});

describe('configuration you can trust', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it('a load-balancer update works, is audited and can be rolled back', async () => {
    const c = await t.client();
    const events = collect(c, 'system:config:updated');
    await c.request('subscribe', 'system');
    const dry = await c.request('config:update', { component: 'load-balancer', settings: { algorithm: 'ml-predictive' }, dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, diff: [{ path: 'algorithm', after: 'ml-predictive' }] });
    const applied = await c.request('config:update', {
      component: 'load-balancer',
      settings: { algorithm: 'ml-predictive', healthCheckInterval: 5000, autoScaling: true },
    });
    expect(applied).toMatchObject({ component: 'load-balancer', config: { algorithm: 'ml-predictive', healthCheckInterval: 5000, autoScaling: true } });
    const history = await c.request('config:history', { component: 'load-balancer' });
    expect(history.entries[0]).toMatchObject({ actor: 'tester', after: { algorithm: 'ml-predictive' } });
    const v = history.entries.at(-1)!.version;
    const rolled = await c.request('config:rollback', { component: 'load-balancer', version: v });
    expect(rolled.config['algorithm']).not.toBe('ml-predictive');
    // A command's events are delivered before its ack, on the same socket.
    expect(events.items.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses unknown components and settings with invalid_argument and changes nothing', async () => {
    const c = await t.client();
    const before = await c.request('config:history', { component: 'system' });
    await expect(c.request('config:update', { component: 'flux-capacitor', settings: {} })).rejects.toMatchObject({ code: 'invalid_argument' });
    const bad = await c.request('config:update', { component: 'system', settings: { cpuWarning: 'hot', bogus: 1 } }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: 'invalid_argument' });
    const paths = ((bad as { details: { path: string }[] }).details ?? []).map((d) => d.path).join(' ');
    expect(paths).toMatch(/cpuWarning/);
    expect(paths).toMatch(/bogus/);
    expect((await c.request('config:history', { component: 'system' })).entries).toHaveLength(before.entries.length);
    const reader = await t.client({ token: await t.token(['read:system']) });
    await expect(reader.request('config:update', { component: 'system', settings: {} })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('the request budget follows api.rateLimitPerMinute: warning at 80 %, then rate_limited and 429', async () => {
    const c = await t.client();
    const watcher = await t.client();
    await watcher.request('subscribe', 'api');
    const notices = collect<{ clientId: string; currentRequests: number; limit: number; severity: string }>(watcher, 'api:rate:limit');
    const direct = collect<{ severity: string }>(c, 'api:rate:limit');
    const limited = nextEvent<{ severity: string }>(watcher, 'api:rate:limit', 5000, (n) => n.severity === 'critical');
    await c.request('config:update', { component: 'api', settings: { rateLimitPerMinute: 10 } });
    let refused: unknown;
    for (let i = 0; i < 12 && !refused; i++)
      refused = await c.request('subscribe', 'system').then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(refused).toMatchObject({ code: 'rate_limited' });
    await limited;
    expect(notices.items.map((n) => n.severity)).toEqual(['warning', 'critical']);
    expect(notices.items[0]).toMatchObject({ limit: 10, clientId: 'tester' });
    expect(direct.items.map((n) => n.severity)).toEqual(['warning', 'critical']);

    const token = await t.token(['read:system']);
    let last: Response | undefined;
    for (let i = 0; i < 11; i++) last = await fetch(`${t.url}/api/whoami`, { headers: { authorization: `Bearer ${token}` } });
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await last!.json()).toMatchObject({ error: { code: 'rate_limited' } });
  });
});
