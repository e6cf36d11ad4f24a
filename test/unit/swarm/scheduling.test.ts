import { afterEach, describe, expect, it } from 'vitest';
import { taskCreateSchema } from '../../../shared/protocol/commands';
import { harness } from './harness';

const task = (extra: Record<string, unknown> = {}) => taskCreateSchema.parse({ title: 'T', ...extra });

let h: ReturnType<typeof harness>;
afterEach(() => {
  expect(h.violations).toEqual([]);
  h.engine.stop();
});

describe('task lifecycle', () => {
  it('runs created → assigned → started → progress stages → completed, with swarmId and priority on every event', () => {
    h = harness();
    const s = h.engine.createSwarm({ name: 'A', topology: 'mesh', agents: [{ role: 'developer', count: 1 }] });
    h.clear();
    const t = h.engine.createTask(task({ priority: 'high', estimatedDuration: 10_000, requirements: ['coding'] }));
    h.clock.advance(20_000);
    const names = h.events.map((e) => e.event);
    expect(names).toEqual([
      'task:created',
      'swarm:task:assigned',
      'swarm:agent:status',
      'task:started',
      'task:progress',
      'task:progress',
      'task:progress',
      'task:progress',
      'task:completed',
      'swarm:task:completed',
      'swarm:agent:status',
    ]);
    for (const e of h.events.slice(1)) expect(e.payload).toMatchObject({ swarmId: s.id });
    for (const e of h.events.filter((x) => x.event.startsWith('task:'))) expect(e.payload.priority).toBe('high');
    expect(h.of('task:progress').map((p) => [p.percentage, p.currentStage])).toEqual([
      [20, 'analysing'],
      [40, 'implementing'],
      [60, 'implementing'],
      [80, 'verifying'],
    ]);
    const started = h.of('task:started')[0]!;
    expect(started).toMatchObject({ id: t.id, assignee: s.agents[0]?.id });
    // Duration follows estimatedDuration exactly; the coordination delay comes before the start.
    expect(h.of('task:completed')[0]).toMatchObject({ id: t.id, duration: 10_000 });
    expect(h.of('swarm:task:completed')[0]).toMatchObject({ taskId: t.id, duration: 10_000, assignee: s.agents[0]?.id });
    expect(h.of('swarm:agent:status').map((e) => [e.oldStatus, e.newStatus])).toEqual([
      ['idle', 'busy'],
      ['busy', 'idle'],
    ]);
    expect(h.engine.getTask(t.id)).toMatchObject({ state: 'completed', progress: 100, finishedAt: expect.any(Number) });
  });

  it('a task without estimatedDuration takes 5 s of simulated time', () => {
    h = harness();
    h.engine.createSwarm({ name: 'A', topology: 'mesh', agents: 1 });
    const t = h.engine.createTask(task());
    h.clock.advance(4_000);
    expect(h.engine.getTask(t.id).state).toBe('running');
    h.clock.advance(2_000);
    expect(h.engine.getTask(t.id)).toMatchObject({ state: 'completed' });
    expect(h.of('task:completed')[0]?.duration).toBe(5_000);
  });
});

describe('auto-assignment', () => {
  it('picks an agent whose skills cover the requirements, a specialist before a generalist', () => {
    h = harness();
    const s = h.engine.createSwarm({
      name: 'Mixed',
      topology: 'star',
      agents: [
        { role: 'generalist', count: 1 },
        { role: 'developer', count: 1 },
        { role: 'tester', count: 1 },
      ],
    });
    const [generalist, developer, tester] = s.agents;
    expect(h.engine.createTask(task({ requirements: ['testing'] })).assignee).toBe(tester?.id);
    expect(h.engine.createTask(task({ requirements: ['backend-development'] })).assignee).toBe(developer?.id);
    // Only the generalist is left; it takes anything.
    expect(h.engine.createTask(task({ requirements: ['qa'] })).assignee).toBe(generalist?.id);
  });

  it('prefers the least loaded agent', () => {
    h = harness();
    const s = h.engine.createSwarm({ name: 'S', topology: 'mesh', agents: 2 });
    const [a, b] = s.agents;
    h.engine.createTask(task({ estimatedDuration: 30_000 }));
    h.clock.advance(31_000);
    // a worked for 30 s and b did not: b is less loaded.
    const loads = Object.fromEntries(h.engine.getSwarm(s.id).agents.map((x) => [x.id, x.load]));
    expect(loads[a!.id]).toBeGreaterThan(0.3);
    expect(loads[b!.id]).toBe(0);
    expect(h.engine.createTask(task()).assignee).toBe(b?.id);
    expect(h.engine.createTask(task()).assignee).toBe(a?.id);
  });

  it('looks across swarms unless swarmId is given', () => {
    h = harness();
    const a = h.engine.createSwarm({ name: 'A', topology: 'mesh', agents: [{ role: 'tester', count: 1 }] });
    const b = h.engine.createSwarm({ name: 'B', topology: 'mesh', agents: [{ role: 'developer', count: 1 }] });
    expect(h.engine.createTask(task({ requirements: ['coding'] })).swarmId).toBe(b.id);
    const pinned = h.engine.createTask(task({ swarmId: a.id, requirements: ['coding'] }));
    expect(pinned).toMatchObject({ state: 'queued', swarmId: a.id, queueReason: `no agent in swarm ${a.id} has the required skills: coding` });
  });

  it('a task with no capable agent waits, says why, and starts once one joins', () => {
    h = harness();
    const s = h.engine.createSwarm({ name: 'Dev', topology: 'mesh', agents: [{ role: 'developer', count: 2 }] });
    const t = h.engine.createTask(task({ requirements: ['security-expertise', 'backend-development'] }));
    expect(t.state).toBe('queued');
    expect(t.queueReason).toBe('no agent has the required skills: backend-development, security-expertise');
    expect(h.of('task:queued')).toEqual([expect.objectContaining({ id: t.id, reason: t.queueReason })]);
    h.clock.advance(60_000);
    expect(h.engine.getTask(t.id).state).toBe('queued');
    const scaled = h.engine.scaleSwarm({ swarmId: s.id, role: 'security', count: 1 });
    expect(h.engine.getTask(t.id)).toMatchObject({ state: 'assigned', assignee: scaled.agents.at(-1)?.id, queueReason: null });
  });

  it('a task for a specific agent waits for that agent even when others are idle', () => {
    h = harness();
    const s = h.engine.createSwarm({ name: 'S', topology: 'mesh', agents: 2 });
    const [a, b] = s.agents;
    h.engine.createTask(task({ assignee: a!.id, estimatedDuration: 1_000 }));
    const second = h.engine.createTask(task({ assignee: a!.id }));
    expect(second).toMatchObject({ state: 'queued', queueReason: `waiting for agent ${a!.id}, which is busy` });
    expect(h.engine.getSwarm(s.id).agents.find((x) => x.id === b!.id)?.status).toBe('idle');
    h.clock.advance(2_000);
    expect(h.engine.getTask(second.id)).toMatchObject({ assignee: a!.id });
  });
});

describe('queue order', () => {
  it('urgent > high > medium > low, first come first served within a priority', () => {
    h = harness();
    h.engine.createSwarm({ name: 'One', topology: 'mesh', agents: 1 });
    const blocker = h.engine.createTask(task({ title: 'blocker', estimatedDuration: 1_000 }));
    const order = ['low', 'medium', 'urgent', 'high', 'medium', 'urgent'].map((priority, i) =>
      h.engine.createTask(task({ title: `${priority}-${i}`, priority, estimatedDuration: 1_000 })),
    );
    expect(order.every((t) => t.state === 'queued')).toBe(true);
    expect(order[0]?.queueReason).toBe('the only capable agent is occupied (1 busy, 0 failed or offline)');
    h.clock.advance(60_000);
    const started = h.of('task:started').map((e) => h.engine.getTask(String(e.id)).title);
    expect(started).toEqual([blocker.title, 'urgent-2', 'urgent-5', 'high-3', 'medium-1', 'medium-4', 'low-0']);
  });
});
