import { afterEach, describe, expect, it } from 'vitest';
import { taskCreateSchema, workflowCreateSchema } from '../../../shared/protocol/commands';
import { openAppDatabase } from '../../../electron/engines/migrations';
import { harness, tempDir } from './harness';

const task = (extra: Record<string, unknown> = {}) => taskCreateSchema.parse({ title: 'T', estimatedDuration: 10_000, ...extra });
const T0 = 1_700_000_000_000;

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.reverse()) fn();
  cleanup = [];
});

function storeAt() {
  const tmp = tempDir();
  cleanup.push(tmp.remove);
  return tmp.file;
}

describe('durable state', () => {
  it('a command is committed when it returns (another connection sees it at once)', () => {
    const file = storeAt();
    const h = harness({ db: openAppDatabase(file) });
    cleanup.push(() => h.db.close());
    const s = h.engine.createSwarm({ name: 'Durable', topology: 'star', agents: 2 });
    const t = h.engine.createTask(task());
    const reader = openAppDatabase(file);
    cleanup.push(() => reader.close());
    expect(reader.prepare('SELECT name, topology FROM swarms WHERE id = ?').get(s.id)).toMatchObject({ name: 'Durable', topology: 'star' });
    expect(reader.prepare('SELECT COUNT(*) AS n FROM swarm_agents WHERE swarm_id = ?').get(s.id)).toMatchObject({ n: 2 });
    expect(reader.prepare('SELECT state, assignee FROM tasks WHERE id = ?').get(t.id)).toMatchObject({ state: 'assigned', assignee: s.agents[0]?.id });
    // Simulated transitions are group-committed shortly after (real time), not on every step.
    h.clock.advance(11_000);
    expect(h.engine.getTask(t.id).state).toBe('completed');
    expect(reader.prepare('SELECT state FROM tasks WHERE id = ?').get(t.id)).toMatchObject({ state: 'assigned' });
    h.realClock.advance(50);
    expect(reader.prepare('SELECT state, finished_at FROM tasks WHERE id = ?').get(t.id)).toMatchObject({ state: 'completed', finished_at: h.engine.getTask(t.id).finishedAt });
    h.engine.stop();
  });

  it('after a clean stop, a new engine on the same file has the same swarms, agents, tasks and workflows, and ids carry on', () => {
    const file = storeAt();
    const a = harness({ db: openAppDatabase(file) });
    const s = a.engine.createSwarm({
      name: 'S',
      topology: 'ring',
      agents: [
        { role: 'developer', count: 2 },
        { role: 'tester', count: 1 },
      ],
    });
    const done = a.engine.createTask(task({ estimatedDuration: 1_000 }));
    const waiting = a.engine.createTask(task({ requirements: ['security-expertise'] }));
    a.clock.advance(5_000);
    a.engine.deleteSwarm(a.engine.createSwarm({ name: 'gone', topology: 'mesh', agents: [{ role: 'writer', count: 1 }] }).id);
    a.engine.stop();
    a.db.close();

    const b = harness({ db: openAppDatabase(file), start: T0 + 60_000 });
    cleanup.push(() => {
      b.engine.stop();
      b.db.close();
    });
    expect(b.engine.listSwarms().map((x) => [x.id, x.name, x.topology, x.agents.map((ag) => `${ag.id}:${ag.role}:${ag.status}`)])).toEqual([
      [s.id, 'S', 'ring', s.agents.map((ag) => `${ag.id}:${ag.role}:idle`)],
    ]);
    expect(b.engine.getTask(done.id)).toMatchObject({ state: 'completed', result: expect.objectContaining({ attempts: 1 }) });
    expect(b.engine.getTask(waiting.id)).toMatchObject({ state: 'queued', queueReason: 'no agent has the required skills: security-expertise' });
    expect(b.of('task:interrupted')).toEqual([]);
    // Sequences continue where they were: nothing is reused, not even the deleted swarm's ids.
    expect(b.engine.createSwarm({ name: 'next', topology: 'mesh', agents: 1 })).toMatchObject({ id: 'swarm-3', agents: [{ id: 'agent-5' }] });
    expect(b.engine.createTask(task()).id).toBe('task-3');
  });

  it('after a crash, tasks that were running are announced as interrupted, re-queued and finish; workflows continue', () => {
    const file = storeAt();
    const a = harness({ db: openAppDatabase(file) });
    a.engine.createSwarm({ name: 'S', topology: 'mesh', agents: 2 });
    const running = [a.engine.createTask(task()), a.engine.createTask(task())];
    const queued = a.engine.createTask(task({ priority: 'urgent' }));
    const wf = a.engine.createWorkflow(
      workflowCreateSchema.parse({
        name: 'W',
        steps: [
          { id: 'one', title: 'One', estimatedDuration: 1_000 },
          { id: 'two', title: 'Two', dependsOn: ['one'] },
        ],
      }),
    );
    a.clock.advance(3_000);
    a.realClock.advance(50);
    expect(a.engine.getTask(running[0]!.id).state).toBe('running');
    // kill -9: no stop(), no flush; the process is simply gone.
    a.db.close();

    const b = harness({ db: openAppDatabase(file), start: T0 + 60_000 });
    cleanup.push(() => {
      b.engine.stop();
      b.db.close();
    });
    expect(b.of('task:interrupted').map((e) => e.id)).toEqual(running.map((t) => t.id));
    expect(b.of('task:interrupted')[0]).toMatchObject({ reason: 'the engine stopped while the task was running', swarmId: 'swarm-1' });
    expect(b.of('task:queued').map((e) => [e.id, e.reason])).toEqual(running.map((t) => [t.id, 'interrupted by a restart (1 of 3 attempts); re-queued']));
    // Both agents are free again: the urgent queued task goes first, then the interrupted ones in their order.
    expect(b.of('swarm:task:assigned').map((e) => e.taskId)).toEqual([queued.id, running[0]!.id]);
    b.clock.advance(120_000);
    for (const t of [...running, queued]) expect(b.engine.getTask(t.id).state).toBe('completed');
    expect((b.engine.getTask(running[0]!.id).result as { attempts: number }).attempts).toBe(2);
    expect(b.engine.getWorkflow(wf.id)).toMatchObject({ state: 'completed', steps: [{ state: 'completed' }, { state: 'completed' }] });
    expect(b.violations).toEqual([]);
  });
});
