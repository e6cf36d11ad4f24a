import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { channelOf } from '../../shared/protocol/channels';
import { createZenFlowClient, type ZenFlowClient } from '../../shared/sdk';
import { runCli } from '../helpers/cli';
import { sleep, startTestServer, type TestServer } from '../helpers/server';

type Seen = { event: string; seq: number; data: Record<string, unknown> };

/** Records every channel event a client receives (batches unpacked), in arrival order. */
function record(client: ZenFlowClient): Seen[] {
  const seen: Seen[] = [];
  client.socket.onAny((event: string, data: Record<string, unknown>) => {
    if (channelOf(event) !== null) seen.push({ event, seq: data.seq as number, data });
  });
  return seen;
}

async function until(cond: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** A client whose `auth:session` has arrived; resolves with it. */
async function session(url: string, token: string): Promise<{ client: ZenFlowClient; epoch: string; seq: number }> {
  const client = createZenFlowClient({ url, auth: { token }, transports: ['websocket'], autoReconnect: false });
  const announced = new Promise<{ epoch: string; seq: number }>((resolve) => client.on('auth:session', (p) => resolve(p as { epoch: string; seq: number })));
  await client.waitForConnect();
  return { client, ...(await announced) };
}

const SUBSCRIPTION = { categories: ['tasks', 'swarms'] as ('tasks' | 'swarms')[], filters: { tasks: { priority: ['high' as const, 'urgent' as const] } } };

describe('event log and resume (docs/protocol.md §10)', () => {
  let t: TestServer;
  afterAll(() => t?.close());

  it('auth:session carries the epoch and the newest seq; every channel event has a growing seq', async () => {
    t = await startTestServer();
    const { client, epoch, seq } = await session(t.url, await t.token());
    expect(epoch).toMatch(/^[0-9a-f-]{36}$/);
    expect(seq).toBe(t.server.eventLog!.seq);
    const seen = record(client);
    await client.request('subscribe', 'tasks');
    for (let i = 0; i < 3; i++) await client.request('task:create', { title: `t${i}`, priority: 'low', assignee: 'auto' });
    await until(() => seen.length >= 3, 5000, 'three task:created');
    const seqs = seen.map((s) => s.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs[0]).toBeGreaterThan(seq);
    client.close();
  });

  it('a dropped client resumes without gap or duplicate, matching a control client that never left', async () => {
    const control = await t.client();
    const controlSeen = record(control);
    await control.request('subscribe', SUBSCRIPTION);
    const { client: first, epoch } = await session(t.url, await t.token());
    const firstSeen = record(first);
    await first.request('subscribe', SUBSCRIPTION);

    const swarm = await control.request('swarm:create', { name: 'resume', topology: 'mesh', agents: 2 });
    const create = (i: number) =>
      control.request('task:create', { title: `job ${i}`, priority: i % 2 ? 'high' : 'low', assignee: 'auto', swarmId: swarm.id, estimatedDuration: 400 });
    for (let i = 0; i < 4; i++) await create(i);
    await until(() => firstSeen.length >= 3, 5000, 'events before the drop');
    first.close();
    const lastSeen = Math.max(...firstSeen.map((s) => s.seq));
    for (let i = 4; i < 10; i++) await create(i);
    // Let the engine work in the gap too (starts and progress, not only creates), as the control sees it.
    await until(() => controlSeen.some((s) => s.event === 'task:started' && s.seq > lastSeen), 10_000, 'work during the gap');

    const { client: second } = await session(t.url, await t.token());
    const secondSeen = record(second);
    const ack = await second.request('subscribe', { ...SUBSCRIPTION, since: { epoch, seq: lastSeen } });
    expect(ack.recovery).toMatchObject({ recovered: true, fromSeq: lastSeen + 1 });
    for (let i = 10; i < 13; i++) await create(i);
    const last = await control.request('task:create', { title: 'last', priority: 'urgent', assignee: 'auto' });
    await until(() => secondSeen.some((s) => s.event === 'task:created' && s.data.id === last.id), 10_000, 'the last task on the resumed client');
    await until(() => controlSeen.some((s) => s.event === 'task:created' && s.data.id === last.id), 10_000, 'the last task on the control');

    const through = Math.max(...secondSeen.map((s) => s.seq));
    const expected = controlSeen.filter((s) => s.seq > lastSeen && s.seq <= through).map((s) => s.seq);
    expect(secondSeen.map((s) => s.seq)).toEqual(expected);
    // Filters applied to the replay too: no low-priority task events.
    expect(secondSeen.some((s) => s.event.startsWith('task:') && s.data.priority === 'low')).toBe(false);
    // Positive control: the replay did carry events from the gap.
    expect(ack.recovery && 'replayed' in ack.recovery ? ack.recovery.replayed : 0).toBeGreaterThan(0);
    second.close();
    control.close();
  });

  it('a socket still subscribed that resumes from an older seq gets only what it has not had, matching a control client', async () => {
    const control = await t.client();
    const controlSeen = record(control);
    await control.request('subscribe', SUBSCRIPTION);
    const { client, epoch } = await session(t.url, await t.token());
    const seen = record(client);
    // Subscribed to tasks only at first: swarm events in the gap were never delivered to it.
    await client.request('subscribe', { categories: ['tasks'], filters: { tasks: { priority: ['high', 'urgent'] } } });
    const since = t.server.eventLog!.seq;
    const swarm = await control.request('swarm:create', { name: 'still-here', topology: 'mesh', agents: 2 });
    for (let i = 0; i < 6; i++) {
      await control.request('task:create', { title: `live ${i}`, priority: i % 2 ? 'high' : 'low', assignee: 'auto', swarmId: swarm.id, estimatedDuration: 300 });
    }
    await until(() => seen.filter((s) => s.event === 'task:created').length >= 3, 5000, 'live task events');
    await sleep(200);
    // The same socket resumes from before all of that (a client that lost track of what it had), now with swarms too.
    const ack = await client.request('subscribe', { ...SUBSCRIPTION, since: { epoch, seq: since } });
    expect(ack.recovery).toMatchObject({ recovered: true, fromSeq: since + 1 });
    const last = await control.request('task:create', { title: 'last', priority: 'urgent', assignee: 'auto' });
    await until(() => seen.some((s) => s.event === 'task:created' && s.data.id === last.id), 10_000, 'the last task on the client');
    await until(() => controlSeen.some((s) => s.event === 'task:created' && s.data.id === last.id), 10_000, 'the last task on the control');

    const seqs = seen.map((s) => s.seq);
    expect(seqs.length - new Set(seqs).size).toBe(0);
    const through = Math.max(...seqs);
    expect([...seqs].sort((a, b) => a - b)).toEqual(controlSeen.filter((s) => s.seq > since && s.seq <= through).map((s) => s.seq));
    // Positive controls: the resume replayed the swarm events it had missed, and tasks had gone out live before it.
    expect(seen.some((s) => s.event === 'swarm:created' && s.seq > since)).toBe(true);
    expect(ack.recovery && 'replayed' in ack.recovery ? ack.recovery.replayed : 0).toBeGreaterThan(0);
    client.close();
    control.close();
  });

  it('refuses recovery with epoch_changed for another log, expired past retention, and never replays unreadable channels', async () => {
    const c = await t.client();
    const ack = await c.request('subscribe', { channels: ['tasks'], since: { epoch: 'another-log', seq: 1 } });
    expect(ack.recovery).toMatchObject({ recovered: false, reason: 'epoch_changed' });

    const readOnlyTasks = await t.client({ permissions: ['read:tasks'] });
    const seen = record(readOnlyTasks);
    const r = await readOnlyTasks.request('subscribe', { channels: ['tasks', 'swarms'], since: { epoch: t.server.eventLog!.epoch, seq: 0 } });
    expect(r.recovery).toMatchObject({ recovered: true, fromSeq: 1 });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((s) => s.event.startsWith('task:'))).toBe(true);
    c.close();
    readOnlyTasks.close();
  });

  it('answers expired once the events after since were pruned', async () => {
    const s = await startTestServer({ logRetainEvents: 2, logRetainHours: 0 });
    try {
      const c = await s.client();
      for (let i = 0; i < 6; i++) await c.request('task:create', { title: `p${i}`, priority: 'low', assignee: 'auto' });
      s.server.eventLog!.prune();
      await until(() => s.server.eventLog!.oldestSeq() > 2, 5000, 'pruning');
      const ack = await c.request('subscribe', { channels: ['tasks'], since: { epoch: s.server.eventLog!.epoch, seq: 1 } });
      expect(ack.recovery).toMatchObject({ recovered: false, reason: 'expired' });
      const fresh = await c.request('subscribe', { channels: ['tasks'], since: { epoch: s.server.eventLog!.epoch, seq: s.server.eventLog!.seq - 1 } });
      expect(fresh.recovery).toMatchObject({ recovered: true, replayed: 1 });
    } finally {
      await s.close();
    }
  });

  it('bounds one replay: a gap longer than replayLimit answers expired instead of holding it all', async () => {
    const s = await startTestServer({ replayLimit: 3 });
    try {
      const c = await s.client();
      for (let i = 0; i < 6; i++) await c.request('task:create', { title: `r${i}`, priority: 'low', assignee: 'auto' });
      const { epoch, seq } = s.server.eventLog!;
      const long = await c.request('subscribe', { channels: ['tasks'], since: { epoch, seq: 0 } });
      expect(long.recovery).toMatchObject({ recovered: false, reason: 'expired' });
      const short = await c.request('subscribe', { channels: ['tasks'], since: { epoch, seq: seq - 3 } });
      expect(short.recovery).toMatchObject({ recovered: true, replayed: 3 });
    } finally {
      await s.close();
    }
  });

  it('GET /api/events returns logged events per readable channel, bounded', async () => {
    const headers = { authorization: `Bearer ${await t.token()}` };
    const res = await fetch(`${t.url}/api/events?channels=tasks&limit=5`, { headers });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { epoch: string; events: { seq: number; event: string; data: { seq: number } }[] };
    expect(body.epoch).toBe(t.server.eventLog!.epoch);
    expect(body.events).toHaveLength(5);
    expect(body.events.every((e) => e.event.startsWith('task:') || e.event.startsWith('workflow:'))).toBe(true);
    expect(body.events.every((e) => e.data.seq === e.seq)).toBe(true);
    const since = body.events[0]!.seq;
    const after = (await (await fetch(`${t.url}/api/events?since=${since}&channels=tasks&limit=2`, { headers })).json()) as { events: { seq: number }[] };
    expect(after.events.map((e) => e.seq)).toEqual(body.events.slice(1, 3).map((e) => e.seq));

    const tasksOnly = { authorization: `Bearer ${await t.token(['read:tasks'])}` };
    expect((await fetch(`${t.url}/api/events?channels=tasks,swarms`, { headers: tasksOnly })).status).toBe(403);
    expect((await fetch(`${t.url}/api/events?limit=100000`, { headers })).status).toBe(400);
    expect((await fetch(`${t.url}/api/events?channels=nope`, { headers })).status).toBe(400);
    // Narrowed to event names (a chart's history), newest first or after a seq.
    const named = (await (await fetch(`${t.url}/api/events?channels=tasks&events=task:created,task:completed&limit=1000`, { headers })).json()) as {
      events: { seq: number; event: string }[];
    };
    expect(named.events.length).toBeGreaterThan(0);
    expect(named.events.every((e) => e.event === 'task:created' || e.event === 'task:completed')).toBe(true);
    const all = (await (await fetch(`${t.url}/api/events?channels=tasks&limit=1000`, { headers })).json()) as { events: { event: string }[] };
    expect(named.events.length).toBe(all.events.filter((e) => e.event === 'task:created' || e.event === 'task:completed').length);
    const namedAfter = (await (await fetch(`${t.url}/api/events?since=${named.events[0]!.seq}&channels=tasks&events=task:created&limit=2`, { headers })).json()) as {
      events: { seq: number; event: string }[];
    };
    expect(namedAfter.events.every((e) => e.event === 'task:created' && e.seq > named.events[0]!.seq)).toBe(true);
    expect((await fetch(`${t.url}/api/events?events=nope`, { headers })).status).toBe(400);
    const openapi = (await (await fetch(`${t.url}/api/openapi.json`, { headers })).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(openapi.paths)).toContain('/api/events');
  });
});

describe('resume across restarts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zenflow-log-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('after a clean restart a client gets what it missed, task:interrupted included, from the same epoch', async () => {
    let s = await startTestServer({ dataDir: dir });
    const token = await s.token();
    const { client, epoch } = await session(s.url, token);
    const seen = record(client);
    await client.request('subscribe', ['tasks', 'swarms']);
    const swarm = await client.request('swarm:create', { name: 'long', topology: 'star', agents: 1 });
    const task = await client.request('task:create', { title: 'long job', priority: 'high', assignee: 'auto', swarmId: swarm.id, estimatedDuration: 3_600_000 });
    await until(() => seen.some((e) => e.event === 'task:created'), 5000, 'task:created');
    const lastSeen = Math.max(...seen.map((e) => e.seq));
    client.close();
    await s.server.close();

    s = await startTestServer({ dataDir: dir });
    try {
      const { client: again, epoch: epoch2 } = await session(s.url, await s.token());
      expect(epoch2).toBe(epoch);
      const replayed = record(again);
      const ack = await again.request('subscribe', { channels: ['tasks', 'swarms'], since: { epoch, seq: lastSeen } });
      expect(ack.recovery).toMatchObject({ recovered: true });
      expect(replayed.some((e) => e.event === 'task:interrupted' && e.data.id === task.id)).toBe(true);
      const logged = (await (await fetch(`${s.url}/api/events?since=${lastSeen}&channels=tasks,swarms&limit=1000`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
        events: { seq: number }[];
      };
      expect(replayed.map((e) => e.seq)).toEqual(logged.events.map((e) => e.seq));
      again.close();
    } finally {
      await s.close();
    }
  });

  it('an acked task:create is in the log after kill -9 (outbox), and a resuming client receives its task:created', async () => {
    const killDir = mkdtempSync(join(tmpdir(), 'zenflow-log-kill-'));
    const args = ['serve', '--port', '0', '--data-dir', killDir, '--secret-store', 'file', '--log-level', 'warn'];
    try {
      const first = runCli(args);
      const [, base] = await first.waitFor(/listening on (http:\/\/[\d.:]+)/, 30_000);
      const [, token] = await first.waitFor(/\?token=([\w.-]+)/);
      const { client, epoch, seq } = await session(base!, token!);
      client.close();
      const res = await fetch(`${base}/api/tasks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'acked then killed', priority: 'medium', assignee: 'auto' }),
      });
      expect(res.status).toBe(201);
      const task = (await res.json()) as { id: string };
      first.child.kill('SIGKILL');
      expect((await first.exited).signal).toBe('SIGKILL');

      const second = runCli(args);
      const [, base2] = await second.waitFor(/listening on (http:\/\/[\d.:]+)/, 30_000);
      // Each start prints a new UI token (the previous one is revoked).
      const [, token2] = await second.waitFor(/\?token=([\w.-]+)/);
      try {
        const { client: again } = await session(base2!, token2!);
        const seen = record(again);
        const ack = await again.request('subscribe', { channels: ['tasks'], since: { epoch, seq } });
        expect(ack.recovery).toMatchObject({ recovered: true });
        expect(seen.filter((e) => e.event === 'task:created').map((e) => e.data.id)).toEqual([task.id]);
        again.close();
      } finally {
        second.child.kill('SIGTERM');
        await second.exited;
      }
    } finally {
      rmSync(killDir, { recursive: true, force: true });
    }
  }, 90_000);
});
