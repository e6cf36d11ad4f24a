import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelOf } from '../../shared/protocol/channels';
import type { Recovery } from '../../shared/protocol/models';
import { connectToClaudeZenFlow, connectZenFlowClient, createZenFlowClient, ZenFlowRequestError, type ZenFlowClient } from '../../shared/sdk';
import { startBalancer, startCluster, startNode, type TestCluster } from '../helpers/cluster';
import { nextEvent, sleep } from '../helpers/server';

/** Cluster mode (docs/protocol.md §12): a real redis-server, one core and two edges as `zenflow serve` processes. */

let cluster: TestCluster;
const clients: ZenFlowClient[] = [];

beforeAll(async () => {
  cluster = await startCluster({ edges: 2 });
}, 120_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await cluster?.stop();
}, 30_000);

const edgeA = () => cluster.edges[0]!;
const edgeB = () => cluster.edges[1]!;

async function rest<T = Record<string, unknown>>(base: string, method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

async function mint(base: string, permissions: string[] = ['*']): Promise<{ token: string; jti: string }> {
  const { status, body } = await rest<{ token: string; jti: string }>(base, 'POST', '/api/tokens', cluster.adminToken, { permissions, ttl: '1h' });
  expect(status).toBe(201);
  return body;
}

async function client(url: string, token: string, config: Record<string, unknown> = {}): Promise<ZenFlowClient> {
  const c = await connectZenFlowClient({ url, auth: { token }, transports: ['websocket'], autoReconnect: false, ...config });
  clients.push(c);
  return c;
}

async function until(cond: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Every logged event a client receives, batches unpacked. */
function record(c: ZenFlowClient): { event: string; seq: number; data: Record<string, unknown> }[] {
  const seen: { event: string; seq: number; data: Record<string, unknown> }[] = [];
  c.socket.onAny((event: string, data: Record<string, unknown> & { events?: { event: string; data: Record<string, unknown> }[] }) => {
    if (event === 'batch') for (const item of data.events ?? []) seen.push({ event: item.event, seq: item.data.seq as number, data: item.data });
    else if (channelOf(event) !== null) seen.push({ event, seq: data.seq as number, data });
  });
  return seen;
}

const health = async (base: string) => (await (await fetch(`${base}/api/health`)).json()) as { cluster: { role: string; lag: number; redis: string; core?: string } };

describe('cluster mode (docs/protocol.md §12)', () => {
  it('runs a command sent to one edge and delivers its events, with seq and epoch, on both edges', async () => {
    const { token } = await mint(edgeA().url);
    const onA = await client(edgeA().url, token);
    const onB = await client(edgeB().url, token);
    await onA.subscribe({ categories: ['swarms'] });
    await onB.subscribe({ categories: ['swarms'] });
    const seenA = record(onA);
    const seenB = record(onB);
    const swarm = await onB.request('swarm:create', { name: 'across', topology: 'mesh', agents: 2 });
    // As on a single node, the sender has the event by the time it has the ack.
    expect(seenB.find((e) => e.event === 'swarm:created' && e.data.id === swarm.id)).toBeDefined();
    await until(() => seenA.some((e) => e.event === 'swarm:created' && e.data.id === swarm.id), 3000, 'swarm:created on edge A');
    const a = seenA.find((e) => e.data.id === swarm.id)!;
    const b = seenB.find((e) => e.data.id === swarm.id)!;
    expect(a.seq).toBeGreaterThan(0);
    expect(a.seq).toBe(b.seq);
    expect(onA.logPosition?.epoch).toBe(onB.logPosition?.epoch);

    // REST on an edge reads the core's engines, and its event log is the stream.
    const listed = await rest<{ swarms: { id: string }[] }>(edgeA().url, 'GET', '/api/swarms', token);
    expect(listed.body.swarms.map((s) => s.id)).toContain(swarm.id);
    const events = await rest<{ epoch: string; events: { seq: number; event: string }[] }>(edgeB().url, 'GET', `/api/events?since=${a.seq - 1}&channels=swarms`, token);
    expect(events.body.epoch).toBe(onA.logPosition?.epoch);
    expect(events.body.events[0]).toMatchObject({ seq: a.seq, event: 'swarm:created' });

    // Bad input is refused at the edge, the same way, and nothing happens.
    const bad = await onA.request('swarm:create', { name: '', topology: 'nope', agents: 0 } as never).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ZenFlowRequestError);
    expect((bad as ZenFlowRequestError).code).toBe('invalid_argument');

    const openapi = await rest<{ paths: Record<string, unknown> }>(edgeA().url, 'GET', '/api/openapi.json', token);
    expect(Object.keys(openapi.body.paths)).toEqual(expect.arrayContaining(['/api/swarms', '/api/events', '/api/tokens']));

    const nodes = await Promise.all([cluster.core.url, edgeA().url, edgeB().url].map(health));
    expect(nodes.map((n) => n.cluster.role)).toEqual(['core', 'edge', 'edge']);
    expect(nodes[1]!.cluster.core).toBe('up');
    const metrics = await (await fetch(`${edgeA().url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
    expect(metrics).toMatch(/zenflow_cluster_node_info\{role="edge",node="edge-[0-9a-f]+"\} 1/);
    expect(metrics).toMatch(/zenflow_cluster_stream_lag_events \d+/);
  }, 30_000);

  it('resumes a client that has seen more than this edge has yet: it waits for the edge instead of refusing', async () => {
    const { token } = await mint(edgeA().url);
    const onEdge = await client(edgeA().url, token);
    const onCore = await client(cluster.core.url, token);
    const seen = record(onEdge);
    const { body } = await rest<{ epoch: string; seq: number }>(edgeA().url, 'GET', '/api/events?limit=1', token);
    // As if it came from an edge three events ahead of this one.
    const since = { epoch: body.epoch, seq: body.seq + 3 };
    const ack = onEdge.request('subscribe', { categories: ['swarms', 'system', 'api', 'tasks', 'neural'], since });
    const created: string[] = [];
    for (let i = 0; i < 4; i++) created.push((await onCore.request('swarm:create', { name: `ahead-${i}`, topology: 'star', agents: 1 })).id);
    const { recovery } = await ack;
    expect(recovery).toMatchObject({ recovered: true, fromSeq: since.seq + 1 });
    await until(() => seen.some((e) => e.data.id === created.at(-1)), 5000, 'the newest swarm:created');
    // Nothing at or before the seq the client claimed, nothing twice, in order.
    const seqs = seen.map((e) => e.seq);
    expect(Math.min(...seqs)).toBeGreaterThan(since.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
  }, 30_000);

  it('accepts a token minted on one edge on the other, over sockets and REST', async () => {
    const { token } = await mint(edgeA().url, ['read:swarms']);
    const onB = await client(edgeB().url, token);
    await until(() => onB.permissions.length > 0, 3000, 'auth:session');
    expect(onB.permissions).toEqual(['read:swarms']);
    const who = await rest<{ permissions: string[] }>(edgeB().url, 'GET', '/api/whoami', token);
    expect(who.status).toBe(200);
    expect(who.body.permissions).toEqual(['read:swarms']);
    // Its scopes hold on the other node too: a write is refused there.
    const refused = await onB.request('swarm:create', { name: 'no', topology: 'star', agents: 1 }).catch((e: unknown) => e);
    expect((refused as ZenFlowRequestError).code).toBe('forbidden');
    // A token signed with another secret is refused.
    const forged = await connectZenFlowClient({ url: edgeB().url, auth: { token: `${token.slice(0, -4)}AAAA` }, transports: ['websocket'], autoReconnect: false }).catch(
      (e: unknown) => e,
    );
    expect(forged).toBeInstanceOf(Error);
  }, 30_000);

  it('exchanges a refresh offer made on one edge on another, once', async () => {
    const { status, body } = await rest<{ token: string }>(edgeA().url, 'POST', '/api/tokens', cluster.adminToken, { permissions: ['read:system'], ttl: 30 });
    expect(status).toBe(201);
    const socket = await connectToClaudeZenFlow({ url: edgeA().url, auth: { token: body.token }, transports: ['websocket'], autoReconnect: false });
    try {
      // Under a minute left: edge A offers a refresh at once.
      const { refreshToken } = await new Promise<{ refreshToken: string }>((resolve) => socket.once('auth:token:refresh' as never, resolve as never));
      const offer = { refreshToken };
      const exchanged = await fetch(`${edgeB().url}/api/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(offer) });
      expect(exchanged.status).toBe(200);
      const { token } = (await exchanged.json()) as { token: string };
      expect((await rest<{ permissions: string[] }>(edgeA().url, 'GET', '/api/whoami', token)).body.permissions).toEqual(['read:system']);
      const again = await fetch(`${edgeA().url}/api/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(offer) });
      expect(again.status).toBe(400);
    } finally {
      socket.disconnect();
    }
  }, 30_000);

  it('carries a permission request from an edge to admins on the other edge, and the grant back', async () => {
    const asker = await mint(edgeA().url, ['read:system']);
    const admin = await mint(edgeB().url);
    const requester = await client(edgeA().url, asker.token);
    const approver = await client(edgeB().url, admin.token);
    const requested = nextEvent<{ requestId: string; permissions: string[] }>(approver, 'auth:permissions:requested', 5000);
    const { requestId } = await requester.request('auth:permissions:request', { permissions: ['write:swarms'], reason: 'cluster test' });
    expect((await requested).requestId).toBe(requestId);
    const granted = nextEvent<{ requestId: string; token: string; permissions: string[] }>(requester, 'auth:permissions:granted', 5000);
    const decided = await approver.request('auth:permissions:decide', { requestId, approve: true });
    expect(decided).toMatchObject({ requestId, status: 'approved' });
    const grant = await granted;
    expect(grant.permissions).toEqual(expect.arrayContaining(['read:system', 'write:swarms']));
    expect((await rest<{ permissions: string[] }>(edgeB().url, 'GET', '/api/whoami', grant.token)).body.permissions).toContain('write:swarms');
  }, 30_000);

  it('ends the sockets of a token revoked on another edge within a second', async () => {
    const doomed = await mint(edgeB().url);
    const kept = await mint(edgeB().url);
    const victim = await client(edgeB().url, doomed.token);
    const control = await client(edgeB().url, kept.token);
    const ended = nextEvent<{ code: string }>(victim, 'auth:error', 5000);
    const started = performance.now();
    const revoked = await rest(edgeA().url, 'DELETE', `/api/tokens/${doomed.jti}`, cluster.adminToken);
    expect(revoked.status).toBe(200);
    expect((await ended).code).toBe('token_revoked');
    expect(performance.now() - started).toBeLessThan(1000);
    await until(() => !victim.socket.connected, 1000, 'the revoked socket to close');
    // The control on the same edge stays, and the revoked token is refused on every node.
    expect(control.socket.connected).toBe(true);
    for (const base of [cluster.core.url, edgeA().url, edgeB().url]) {
      expect((await rest(base, 'GET', '/api/whoami', doomed.token)).status).toBe(401);
    }
  }, 30_000);

  it('keeps clients connected while the core is down, answers unavailable, and works again when it returns', async () => {
    const { token } = await mint(edgeA().url);
    const c = await client(edgeA().url, token);
    await c.subscribe({ categories: ['swarms'] });
    const seen = record(c);
    await cluster.core.kill();
    await until(async () => (await health(edgeA().url)).cluster.core === 'down', 5000, 'the edge to see the core gone');
    const refused = await c.request('swarm:create', { name: 'while-down', topology: 'star', agents: 1 }).catch((e: unknown) => e);
    expect((refused as ZenFlowRequestError).code).toBe('unavailable');
    const restRefused = await rest<{ error: { code: string } }>(edgeB().url, 'GET', '/api/swarms', token);
    expect(restRefused.status).toBe(503);
    expect(restRefused.body.error.code).toBe('unavailable');
    // Tokens still check out on the edges, and the session goes on.
    expect((await rest(edgeB().url, 'GET', '/api/whoami', token)).status).toBe(200);
    expect(c.socket.connected).toBe(true);

    await cluster.core.restart();
    await until(async () => (await health(edgeA().url)).cluster.core === 'up', 10_000, 'the edge to see the core back');
    const swarm = await c.request('swarm:create', { name: 'after', topology: 'star', agents: 1 });
    expect(seen.find((e) => e.event === 'swarm:created' && e.data.id === swarm.id)).toBeDefined();
    expect(c.socket.connected).toBe(true);
  }, 90_000);

  it('lets an SDK client of an edge that dies resume on the other edge with nothing missed', async () => {
    const balancer = await startBalancer([edgeA().port, edgeB().port]);
    try {
      const { token } = await mint(edgeB().url);
      const c = createZenFlowClient({ url: balancer.url, auth: { token }, transports: ['websocket'], reconnectionDelay: 100, reconnectionDelayMax: 500 });
      clients.push(c);
      const recoveries: Recovery[] = [];
      c.onRecovery((r) => recoveries.push(r));
      const seen = record(c);
      await c.waitForConnect();
      await c.subscribe({ categories: ['swarms'] });
      const before = await c.request('swarm:create', { name: 'before', topology: 'ring', agents: 1 });
      expect(seen.some((e) => e.data.id === before.id)).toBe(true);

      // The edge dies, and for a moment the balancer has nowhere to send the client.
      balancer.backends = [];
      await edgeA().kill();
      await until(() => !c.socket.connected, 5000, 'the client to lose edge A');
      const missed: string[] = [];
      for (let i = 0; i < 5; i++) {
        const created = await rest<{ id: string }>(edgeB().url, 'POST', '/api/swarms', token, { name: `missed-${i}`, topology: 'star', agents: 1 });
        expect(created.status).toBe(201);
        missed.push(created.body.id);
      }
      expect(seen.some((e) => missed.includes(e.data.id as string))).toBe(false);
      balancer.backends = [edgeA().port, edgeB().port];
      await until(() => recoveries.length > 0, 15_000, 'the client to resume on edge B');
      expect(recoveries[0]).toMatchObject({ recovered: true });
      expect((recoveries[0] as { replayed: number }).replayed).toBeGreaterThanOrEqual(missed.length);
      await until(() => missed.every((id) => seen.some((e) => e.event === 'swarm:created' && e.data.id === id)), 5000, 'the missed events');
      const after = await c.request('swarm:create', { name: 'after', topology: 'star', agents: 1 });
      await until(() => seen.some((e) => e.data.id === after.id), 3000, 'a live event on edge B');
      const seqs = seen.map((e) => e.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
      expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
    } finally {
      await balancer.close();
      await edgeA().restart();
    }
  }, 90_000);

  it('rides out a Redis restart that lost everything: clients stay, missed events arrive, tokens and the stream are refilled', async () => {
    const { token } = await mint(edgeA().url);
    const onEdge = await client(edgeA().url, token);
    const onCore = await client(cluster.core.url, token);
    await onEdge.subscribe({ categories: ['swarms'] });
    const seen = record(onEdge);
    await cluster.redis.kill();
    await until(async () => (await health(edgeA().url)).cluster.redis === 'down', 5000, 'the edge to see Redis gone');
    const refused = await onEdge.request('swarm:create', { name: 'no-redis', topology: 'star', agents: 1 }).catch((e: unknown) => e);
    expect((refused as ZenFlowRequestError).code).toBe('unavailable');
    // The core goes on for its own clients; its log keeps what the stream cannot take yet.
    const meanwhile = await onCore.request('swarm:create', { name: 'meanwhile', topology: 'star', agents: 1 });
    expect(onEdge.socket.connected).toBe(true);

    await cluster.redis.restart();
    await until(() => seen.some((e) => e.event === 'swarm:created' && e.data.id === meanwhile.id), 15_000, 'the event made while Redis was down');
    await until(
      async () => {
        const ok = await onEdge.request('swarm:create', { name: 'redis-back', topology: 'star', agents: 1 }).then(
          () => true,
          () => false,
        );
        return ok;
      },
      10_000,
      'commands through the edge again',
    );
    // A node that starts now learns the earlier token from the refilled records.
    const late = await startNode('edge', cluster);
    try {
      expect((await rest(late.url, 'GET', '/api/whoami', token)).status).toBe(200);
      const events = await rest<{ events: { data: { id?: string } }[] }>(late.url, 'GET', '/api/events?channels=swarms&limit=1000', token);
      expect(events.body.events.some((e) => e.data.id === meanwhile.id)).toBe(true);
    } finally {
      await late.stop();
    }
  }, 90_000);
});
