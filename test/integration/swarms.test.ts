import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Swarm, Task } from '../../shared/protocol/models';
import { runCli } from '../helpers/cli';
import { collect, nextEvent, startTestServer, type TestServer } from '../helpers/server';

describe('swarms, tasks and workflows over the wire', () => {
  let t: TestServer;
  let auth: Record<string, string>;
  beforeAll(async () => {
    t = await startTestServer({ engines: true, simSpeed: 50, seed: 'wire' });
    auth = { authorization: `Bearer ${await t.token()}`, 'content-type': 'application/json' };
  });
  afterAll(() => t.close());

  it('the documented curl body creates a swarm and fires swarm:created', async () => {
    const watcher = await t.client();
    await watcher.request('subscribe', 'swarms');
    const created = nextEvent<{ id: string; swarmId: string; name: string }>(watcher, 'swarm:created');
    const res = await fetch(`${t.url}/api/swarms`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'Test Swarm', topology: 'mesh', agents: 3 }) });
    expect(res.status).toBe(201);
    const swarm = (await res.json()) as Swarm;
    expect(swarm).toMatchObject({ name: 'Test Swarm', topology: 'mesh' });
    expect(swarm.agents).toHaveLength(3);
    expect(await created).toMatchObject({ id: swarm.id, swarmId: swarm.id, name: 'Test Swarm' });
    const listed = (await (await fetch(`${t.url}/api/swarms/${swarm.id}`, { headers: auth })).json()) as Swarm;
    expect(listed.id).toBe(swarm.id);
  });

  it('past swarms.maxSwarms a create is refused with 409 conflict over REST and the socket alike, until the limit is raised', async () => {
    const admin = await t.client();
    const count = async () => ((await (await fetch(`${t.url}/api/swarms`, { headers: auth })).json()) as { swarms: Swarm[] }).swarms.length;
    const held = await count();
    await admin.request('config:update', { component: 'swarms', settings: { maxSwarms: held } });
    try {
      const res = await fetch(`${t.url}/api/swarms`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'One too many', topology: 'mesh', agents: 1 }) });
      expect(res.status).toBe(409);
      expect(await res.json()).toMatchObject({ error: { code: 'conflict', details: { setting: 'swarms.maxSwarms', limit: held, held } } });
      await expect(admin.request('swarm:create', { name: 'One too many', topology: 'mesh', agents: 1 })).rejects.toMatchObject({ code: 'conflict' });
      expect(await count()).toBe(held);
    } finally {
      await admin.request('config:update', { component: 'swarms', settings: { maxSwarms: 1000 } });
    }
    const made = await admin.request('swarm:create', { name: 'Fits again', topology: 'mesh', agents: 1 });
    await admin.request('swarm:delete', { swarmId: made.id });
  });

  it('creates from roles, scales, analyzes and deletes; refuses what it must', async () => {
    const c = await t.client();
    const swarm = await c.request('swarm:create', {
      name: 'Development Team',
      topology: 'hierarchical',
      agents: [
        { role: 'lead', count: 1 },
        { role: 'developer', count: 4 },
        { role: 'tester', count: 2 },
      ],
    });
    expect(swarm.agents.map((a) => a.role).sort()).toEqual(['developer', 'developer', 'developer', 'developer', 'lead', 'tester', 'tester']);
    expect(swarm.agents.every((a) => a.skills.length > 0 && ['idle', 'busy', 'offline', 'failed'].includes(a.status))).toBe(true);
    const scaled = await c.request('swarm:scale', { swarmId: swarm.id, role: 'tester', count: 5 });
    expect(scaled.agents.filter((a) => a.role === 'tester')).toHaveLength(5);
    const analysis = await c.request('swarm:analyze', { swarmId: swarm.id, includeMetrics: true, timeWindow: 3_600_000 });
    expect(analysis).toMatchObject({ swarmId: swarm.id, efficiency: expect.any(Number), bottlenecks: expect.any(Array), metrics: expect.any(Object) });
    await expect(c.request('swarm:create', { name: 'huge', topology: 'ring', agents: 100_000 })).rejects.toMatchObject({
      code: 'invalid_argument',
      details: [{ path: 'agents' }],
    });
    await expect(c.request('swarm:scale', { swarmId: 'swarm-missing', role: 'x', count: 1 })).rejects.toMatchObject({ code: 'not_found' });
    const reader = await t.client({ token: await t.token(['read:swarms']) });
    await expect(reader.request('swarm:delete', { swarmId: swarm.id })).rejects.toMatchObject({ code: 'forbidden' });
    const deleted = await c.request('swarm:delete', { swarmId: swarm.id });
    expect(deleted.id).toBe(swarm.id);
    expect((await fetch(`${t.url}/api/swarms/${swarm.id}`, { headers: auth })).status).toBe(404);
  });

  it('runs a task through its whole lifecycle, in order', async () => {
    const c = await t.client();
    await c.request('subscribe', ['tasks', 'swarms']);
    await c.request('swarm:create', { name: 'Workers', topology: 'star', agents: [{ role: 'security', count: 2 }] });
    const log: { event: string; id?: string; taskId?: string }[] = [];
    for (const e of ['task:created', 'swarm:task:assigned', 'task:started', 'task:progress', 'task:completed', 'swarm:task:completed'] as const) {
      c.on(e, (p) => log.push({ event: e, ...(p as { id?: string; taskId?: string }) }));
    }
    const task = await c.request('task:create', {
      title: 'Implement authentication system',
      priority: 'high',
      assignee: 'auto',
      requirements: ['security-expertise'],
      estimatedDuration: 20_000,
    });
    const taskId = task.id;
    const done = await nextEvent<{ id: string; duration: number }>(c, 'task:completed', 15_000, (p) => p.id === taskId);
    expect(done.duration).toBeGreaterThan(0);
    // Whatever the engine sent with the completion has arrived once a later round trip has.
    await c.request('configure:rate-limit', {});
    // An agent may fail mid-task and the task be reassigned: check the order of first occurrences.
    const seen = log.filter((l) => l.id === taskId || l.taskId === taskId).map((l) => l.event);
    const first = (e: string) => seen.indexOf(e);
    expect(first('task:created')).toBe(0);
    expect(first('swarm:task:assigned')).toBeGreaterThan(first('task:created'));
    expect(first('task:started')).toBeGreaterThan(first('swarm:task:assigned'));
    expect(first('task:progress')).toBeGreaterThan(first('task:started'));
    expect(first('task:completed')).toBeGreaterThan(first('task:progress'));
    expect(seen).toContain('swarm:task:completed');
    const stored = (await (await fetch(`${t.url}/api/tasks/${taskId}`, { headers: auth })).json()) as Task;
    expect(stored.state).toBe('completed');
    // Simulated time runs 50× here; the task's moments are still reported as wall-clock time.
    for (const at of [stored.createdAt, stored.startedAt, stored.finishedAt]) expect(Math.abs((at ?? 0) - Date.now())).toBeLessThan(10_000);
  });

  it('refuses bad workflows and runs a DAG to completion', async () => {
    const c = await t.client();
    await c.request('subscribe', 'tasks');
    await expect(
      c.request('workflow:create', {
        name: 'loop',
        steps: [
          { id: 'a', title: 'A', dependsOn: ['b'] },
          { id: 'b', title: 'B', dependsOn: ['a'] },
        ],
      }),
    ).rejects.toMatchObject({ code: 'invalid_argument' });
    const steps = collect<{ workflowId: string; stepId: string }>(c, 'workflow:step:completed');
    const wf = await c.request('workflow:create', {
      name: 'release',
      steps: [
        { id: 'build', title: 'Build', estimatedDuration: 5000 },
        { id: 'test', title: 'Test', dependsOn: ['build'], estimatedDuration: 5000 },
        { id: 'docs', title: 'Docs', dependsOn: ['build'], estimatedDuration: 5000 },
        { id: 'ship', title: 'Ship', dependsOn: ['test', 'docs'], estimatedDuration: 5000 },
      ],
    });
    await nextEvent(c, 'workflow:completed', 20_000, (p: { id: string }) => p.id === wf.id);
    const order = steps.items.filter((s) => s.workflowId === wf.id).map((s) => s.stepId);
    expect(order[0]).toBe('build');
    expect(order.at(-1)).toBe('ship');
    expect(order.sort()).toEqual(['build', 'docs', 'ship', 'test']);
  });
});

describe('durability across kill -9', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zenflow-kill-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every acked swarm, task and config change', async () => {
    const args = ['serve', '--port', '0', '--data-dir', dir, '--secret-store', 'file', '--log-level', 'warn', '--sim-speed', '1'];
    const first = runCli(args);
    const [, base] = await first.waitFor(/listening on (http:\/\/[\d.:]+)/);
    const [, token] = await first.waitFor(/\?token=([\w.-]+)/);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
      expect(res.status).toBeLessThan(300);
      return (await res.json()) as { id: string };
    };
    const swarm = await post('/api/swarms', { name: 'Durable', topology: 'ring', agents: 4 });
    const tasks = [];
    for (let i = 0; i < 5; i++) tasks.push(await post('/api/tasks', { title: `job ${i}`, priority: 'medium', estimatedDuration: 600_000 }));
    await post('/api/config/system', { settings: { cpuWarning: 70 } });
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const second = runCli(args);
    const [, base2] = await second.waitFor(/listening on (http:\/\/[\d.:]+)/);
    // Each start prints a new UI token (the previous one is revoked).
    const [, token2] = await second.waitFor(/\?token=([\w.-]+)/);
    const get = async (path: string) => (await fetch(`${base2}${path}`, { headers: { authorization: `Bearer ${token2}` } })).json();
    expect(((await get('/api/swarms')) as { swarms: Swarm[] }).swarms.map((s) => s.id)).toContain(swarm.id);
    const stored = ((await get('/api/tasks')) as { tasks: Task[] }).tasks;
    for (const task of tasks) {
      const found = stored.find((s) => s.id === task.id);
      // Running work at the crash is re-queued (and announced as interrupted), never lost.
      expect(found?.state).toMatch(/queued|assigned|running|completed/);
    }
    const config = (await get('/api/config')) as { components: { component: string; config: { cpuWarning?: number } }[] };
    expect(config.components.find((c) => c.component === 'system')?.config.cpuWarning).toBe(70);
    second.child.kill('SIGTERM');
    await second.exited;
  });
});
