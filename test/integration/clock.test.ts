import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Swarm, Task, Workflow } from '../../shared/protocol/models';
import { nextEvent, sleep, startTestServer, type TestServer } from '../helpers/server';

const HOUR = 3_600_000;

/** Every persisted moment the REST API reports, by entity id. */
async function moments(t: TestServer, token: string): Promise<Map<string, (number | null)[]>> {
  const get = async <T>(path: string) => (await (await fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${token}` } })).json()) as T;
  const out = new Map<string, (number | null)[]>();
  for (const s of (await get<{ swarms: Swarm[] }>('/api/swarms')).swarms) out.set(s.id, [s.createdAt]);
  for (const task of (await get<{ tasks: Task[] }>('/api/tasks?limit=5000')).tasks) {
    // A task running at the stop is interrupted and re-queued: only its creation is history.
    out.set(task.id, task.finishedAt === null ? [task.createdAt] : [task.createdAt, task.startedAt, task.finishedAt]);
  }
  for (const wf of (await get<{ workflows: Workflow[] }>('/api/workflows')).workflows) out.set(wf.id, [wf.createdAt, wf.finishedAt]);
  return out;
}

describe('time people read never moves', () => {
  afterEach(() => vi.restoreAllMocks());

  it('every persisted moment is identical after a restart at another --sim-speed, and none lies in the future', async () => {
    let t = await startTestServer({ simSpeed: 20 });
    const dataDir = t.dataDir;
    const token = await t.token(['*'], 86_400);
    const c = await t.client({ token });
    await c.request('subscribe', 'tasks');
    const swarm = await c.request('swarm:create', { name: 'history', topology: 'mesh', agents: 3 });
    const short: string[] = [];
    const ended = new Set<string>();
    const shortEnded = new Promise<void>((resolve) => {
      const socket = c.socket as unknown as { on(e: string, h: (p: { id: string }) => void): void };
      const end = (p: { id: string }) => {
        ended.add(p.id);
        if (short.length === 4 && short.every((id) => ended.has(id))) resolve();
      };
      socket.on('task:completed', end);
      socket.on('task:failed', end);
    });
    for (let i = 0; i < 4; i++) {
      short.push((await c.request('task:create', { title: `short ${i}`, priority: 'medium', assignee: 'auto', swarmId: swarm.id, estimatedDuration: 4000 })).id);
    }
    await c.request('task:create', { title: 'long', priority: 'low', assignee: 'auto', estimatedDuration: 3_600_000 });
    const wf = await c.request('workflow:create', {
      name: 'flow',
      steps: [
        { id: 'a', title: 'A', estimatedDuration: 2000 },
        { id: 'b', title: 'B', dependsOn: ['a'], estimatedDuration: 2000 },
      ],
    });
    await nextEvent(c, 'workflow:completed', 10_000, (p: { id: string }) => p.id === wf.id);
    await shortEnded;
    const before = await moments(t, token);
    expect([...before.values()].some((m) => m.length === 3)).toBe(true);
    await t.server.close();
    // Real time passes while the server is down: what is tested is that the moments do not move with it.
    await sleep(1200);

    t = await startTestServer({ dataDir, simSpeed: 1 });
    try {
      const after = await moments(t, token);
      for (const [id, m] of before) expect(after.get(id), id).toEqual(m);
      const now = Date.now();
      for (const m of after.values()) for (const moment of m) if (moment !== null) expect(moment).toBeLessThanOrEqual(now);
    } finally {
      await t.close();
    }
  }, 60_000);

  it("durations say they are simulated; a running task's ETA is wall-clock time at the current speed (issue 9.1)", async () => {
    const t = await startTestServer({ simSpeed: 10 });
    try {
      const token = await t.token();
      const c = await t.client({ token });
      await c.request('subscribe', 'tasks');
      await c.request('swarm:create', { name: 'eta', topology: 'mesh', agents: 2 });
      const started = nextEvent<{ id: string; estimatedDuration: number; timeBase: string; etaAt: number; timestamp: number }>(c, 'task:started', 10_000);
      const progress = nextEvent<{ taskId: string; etaAt: number }>(c, 'task:progress', 10_000);
      // 60 s of simulated work is 6 s of real time at --sim-speed 10.
      const task = await c.request('task:create', { title: 'sixty simulated seconds', priority: 'high', assignee: 'auto', estimatedDuration: 60_000 });
      const s = await started;
      expect(s).toMatchObject({ id: task.id, estimatedDuration: 60_000, timeBase: 'simulated' });
      expect(s.etaAt - s.timestamp).toBeGreaterThan(5_500);
      expect(s.etaAt - s.timestamp).toBeLessThan(6_500);
      expect((await progress).etaAt).toBe(s.etaAt);
      const viaRest = (await (await fetch(`${t.url}/api/tasks/${task.id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as Task;
      expect(viaRest).toMatchObject({ state: 'running', timeBase: 'simulated', etaAt: s.etaAt });
      expect(viaRest.etaAt! - viaRest.startedAt!).toBeLessThan(6_500);
      // A finished one has no ETA; its reported duration is simulated time and says so.
      const done = nextEvent<{ id: string; duration: number; timeBase: string }>(c, 'task:completed', 10_000);
      const quick = await c.request('task:create', { title: 'quick', priority: 'urgent', assignee: 'auto', estimatedDuration: 2_000 });
      expect(await done).toMatchObject({ id: quick.id, duration: 2_000, timeBase: 'simulated' });
      const finished = (await (await fetch(`${t.url}/api/tasks/${quick.id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as Task;
      expect(finished).toMatchObject({ state: 'completed', etaAt: null });
    } finally {
      await t.close();
    }
  }, 30_000);

  it('a wall clock stepped back an hour does not stall work; stepped forward 25 h it prunes no metrics history', async () => {
    const real = Date.now.bind(Date);
    let offset = 0;
    const t = await startTestServer({ engines: true });
    try {
      const token = await t.token(['*'], 30 * 86_400);
      const c = await t.client({ token });
      await c.request('config:update', { component: 'system', settings: { sampleIntervalMs: 1000 } });
      await c.request('subscribe', 'tasks');
      const swarm = await c.request('swarm:create', { name: 'steady', topology: 'star', agents: 1 });
      const history = () => (t.server.db.prepare('SELECT COUNT(*) AS n FROM metrics_history').get() as { n: number }).n;
      for (let i = 0; i < 100 && history() < 2; i++) await sleep(100);
      const samplesBefore = history();
      expect(samplesBefore).toBeGreaterThanOrEqual(2);

      // The SDK client shares this process (its heartbeat reads Date.now too), so after a step the test talks REST.
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const finished = async (title: string): Promise<Task> => {
        const res = await fetch(`${t.url}/api/tasks`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ title, priority: 'high', assignee: 'auto', swarmId: swarm.id, estimatedDuration: 1500 }),
        });
        const created = (await res.json()) as Task;
        for (let i = 0; i < 60; i++) {
          const task = (await (await fetch(`${t.url}/api/tasks/${created.id}`, { headers })).json()) as Task;
          if (task.state === 'completed' || task.state === 'failed') return task;
          await sleep(100);
        }
        throw new Error(`${title}: not finished within 6 s`);
      };
      c.close();
      vi.spyOn(Date, 'now').mockImplementation(() => real() + offset);
      offset = -HOUR;
      const back = await finished('after the step back');
      // Moments stay on the server's own continuous time, not the stepped clock.
      expect(Math.abs(back.finishedAt! - real())).toBeLessThan(5000);

      offset = 25 * HOUR;
      await finished('after the leap');
      const grown = history();
      for (let i = 0; i < 50 && history() <= grown; i++) await sleep(100);
      // Sampling went on (positive control) and nothing earlier was pruned.
      expect(history()).toBeGreaterThan(grown);
      expect(history()).toBeGreaterThan(samplesBefore);
    } finally {
      vi.restoreAllMocks();
      await t.close();
    }
  }, 60_000);
});
