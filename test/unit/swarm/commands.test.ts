import { afterEach, describe, expect, it } from 'vitest';
import { workflowCreateSchema, swarmCreateSchema, taskCreateSchema } from '../../../shared/protocol/commands';
import { swarmHandlers } from '../../../electron/server/handlers/swarms';
import { taskHandlers } from '../../../electron/server/handlers/tasks';
import type { CommandContext } from '../../../electron/server/handlers/types';
import { harness, refusal } from './harness';

const task = (extra: Record<string, unknown> = {}) => taskCreateSchema.parse({ title: 'Do it', ...extra });
const ctx: CommandContext = { userId: 'u', tokenId: 't', principal: 'token:t', scopes: new Set(), transport: 'socket' };

let h: ReturnType<typeof harness>;
afterEach(() => {
  expect(h.violations).toEqual([]);
  h.engine.stop();
});

describe('swarm commands', () => {
  it('creates a swarm from a count (generalists) and from roles, and announces it', () => {
    h = harness();
    const plain = h.engine.createSwarm({ name: 'Test Swarm', topology: 'mesh', agents: 3 });
    expect(plain).toMatchObject({ id: 'swarm-1', name: 'Test Swarm', topology: 'mesh' });
    expect(plain.agents.map((a) => [a.role, a.skills, a.status, a.load, a.currentTaskId])).toEqual([
      ['generalist', ['generalist'], 'idle', 0, null],
      ['generalist', ['generalist'], 'idle', 0, null],
      ['generalist', ['generalist'], 'idle', 0, null],
    ]);
    const team = h.engine.createSwarm(
      swarmCreateSchema.parse({
        name: 'Dev',
        topology: 'hierarchical',
        agents: [
          { role: 'lead', count: 1 },
          { role: 'developer', count: 2 },
          { role: 'tester', count: 1 },
        ],
      }),
    );
    expect(team.agents.map((a) => a.role)).toEqual(['lead', 'developer', 'developer', 'tester']);
    expect(team.agents[1]?.skills).toEqual(['backend-development', 'frontend-development', 'coding']);
    expect(h.of('swarm:created').map((e) => [e.id, e.swarmId, e.agentCount])).toEqual([
      ['swarm-1', 'swarm-1', 3],
      ['swarm-2', 'swarm-2', 4],
    ]);
    expect(h.engine.listSwarms().map((s) => s.id)).toEqual(['swarm-1', 'swarm-2']);
    expect(h.engine.getSwarm('swarm-2').agents).toHaveLength(4);
  });

  it('refuses more agents than the maximum with invalid_argument on agents, changing nothing', () => {
    h = harness({ maxAgentsPerSwarm: 10 });
    expect(refusal(() => h.engine.createSwarm({ name: 'Big', topology: 'star', agents: 11 }))).toMatchObject({
      code: 'invalid_argument',
      details: [{ path: 'agents' }],
    });
    expect(
      refusal(() =>
        h.engine.createSwarm({
          name: 'Big',
          topology: 'star',
          agents: [
            { role: 'a', count: 6 },
            { role: 'b', count: 5 },
          ],
        }),
      ).code,
    ).toBe('invalid_argument');
    expect(h.engine.listSwarms()).toEqual([]);
    expect(h.events).toEqual([]);
    expect(h.engine.createSwarm({ name: 'Ok', topology: 'star', agents: 10 }).id).toBe('swarm-1');
  });

  it('scales a role up and down, and refuses past the maximum', () => {
    h = harness({ maxAgentsPerSwarm: 6 });
    const s = h.engine.createSwarm({
      name: 'S',
      topology: 'ring',
      agents: [
        { role: 'developer', count: 2 },
        { role: 'tester', count: 1 },
      ],
    });
    const up = h.engine.scaleSwarm({ swarmId: s.id, role: 'tester', count: 3 });
    expect(up.agents.filter((a) => a.role === 'tester')).toHaveLength(3);
    const down = h.engine.scaleSwarm({ swarmId: s.id, role: 'developer', count: 0 });
    expect(down.agents.map((a) => a.role)).toEqual(['tester', 'tester', 'tester']);
    const newRole = h.engine.scaleSwarm({ swarmId: s.id, role: 'security', count: 1 });
    expect(newRole.agents.at(-1)?.skills).toContain('security-expertise');
    expect(h.of('swarm:scaled').map((e) => [e.role, e.from, e.to])).toEqual([
      ['tester', 1, 3],
      ['developer', 2, 0],
      ['security', 0, 1],
    ]);
    const before = h.events.length;
    expect(refusal(() => h.engine.scaleSwarm({ swarmId: s.id, role: 'tester', count: 6 }))).toMatchObject({ code: 'invalid_argument', details: [{ path: 'count' }] });
    expect(refusal(() => h.engine.scaleSwarm({ swarmId: 'swarm-9', role: 'tester', count: 1 })).code).toBe('not_found');
    expect(h.events.length).toBe(before);
    expect(h.engine.getSwarm(s.id).agents).toHaveLength(4);
  });

  it('deletes a swarm: its queued bound tasks are cancelled, others move elsewhere; unknown ids are not_found', () => {
    h = harness();
    const a = h.engine.createSwarm({ name: 'A', topology: 'mesh', agents: 1 });
    const b = h.engine.createSwarm({ name: 'B', topology: 'mesh', agents: 1 });
    const onA = h.engine.createTask(task({ swarmId: a.id }));
    const bound = h.engine.createTask(task({ swarmId: a.id }));
    expect(h.engine.getTask(onA.id).assignee).toBe(a.agents[0]?.id);
    expect(h.engine.getTask(bound.id).state).toBe('queued');
    const free = h.engine.createTask(task());
    expect(h.engine.getTask(free.id).swarmId).toBe(b.id);
    const deleted = h.engine.deleteSwarm(a.id);
    expect(deleted.id).toBe(a.id);
    expect(h.engine.listSwarms().map((s) => s.id)).toEqual([b.id]);
    expect(h.engine.getTask(onA.id).state).toBe('cancelled');
    expect(h.engine.getTask(bound.id)).toMatchObject({ state: 'cancelled', stopReason: `swarm ${a.id} was deleted` });
    expect(h.of('swarm:deleted')).toEqual([expect.objectContaining({ swarmId: a.id, name: 'A' })]);
    expect(refusal(() => h.engine.deleteSwarm(a.id)).code).toBe('not_found');
    expect(refusal(() => h.engine.getSwarm(a.id)).code).toBe('not_found');
  });

  it('analyze answers for a known swarm and refuses an unknown one', () => {
    h = harness();
    const s = h.engine.createSwarm({ name: 'A', topology: 'mesh', agents: 2 });
    const result = h.engine.analyzeSwarm({ swarmId: s.id, includeMetrics: true });
    expect(result).toMatchObject({ swarmId: s.id, efficiency: 1, bottlenecks: [] });
    expect(result.metrics).toMatchObject({ agents: 2, topology: 'mesh', queued: 0 });
    expect(h.engine.analyzeSwarm({ swarmId: s.id }).metrics).toBeUndefined();
    expect(refusal(() => h.engine.analyzeSwarm({ swarmId: 'nope' })).code).toBe('not_found');
  });
});

describe('task commands', () => {
  it('creates a task (auto) and returns it assigned; refuses unknown swarm or agent, a mismatched or unskilled assignee', () => {
    h = harness();
    const s = h.engine.createSwarm({ name: 'A', topology: 'mesh', agents: [{ role: 'tester', count: 1 }] });
    const other = h.engine.createSwarm({ name: 'B', topology: 'mesh', agents: [{ role: 'developer', count: 1 }] });
    const t = h.engine.createTask(task({ requirements: ['Testing'], priority: 'high', estimatedDuration: 2000 }));
    expect(t).toMatchObject({
      id: 'task-1',
      state: 'assigned',
      assignee: s.agents[0]?.id,
      swarmId: s.id,
      requirements: ['testing'],
      priority: 'high',
      estimatedDuration: 2000,
      requested: 'auto',
    });
    const before = h.events.length;
    expect(refusal(() => h.engine.createTask(task({ swarmId: 'swarm-77' })))).toMatchObject({ code: 'not_found' });
    expect(refusal(() => h.engine.createTask(task({ assignee: 'agent-99' })))).toMatchObject({ code: 'not_found' });
    expect(refusal(() => h.engine.createTask(task({ assignee: s.agents[0]?.id, swarmId: other.id })))).toMatchObject({ code: 'invalid_argument', details: [{ path: 'assignee' }] });
    expect(refusal(() => h.engine.createTask(task({ assignee: s.agents[0]?.id, requirements: ['coding'] })))).toMatchObject({
      code: 'invalid_argument',
      details: [{ path: 'requirements' }],
    });
    expect(h.events.length).toBe(before);
    expect(h.engine.listTasks()).toHaveLength(1);
  });

  it('cancels a task once; a finished task is a conflict, an unknown one not_found', () => {
    h = harness();
    h.engine.createSwarm({ name: 'A', topology: 'mesh', agents: 1 });
    const running = h.engine.createTask(task());
    const waiting = h.engine.createTask(task());
    h.clock.advance(100);
    const cancelled = h.engine.cancelTask(running.id);
    expect(cancelled).toMatchObject({ state: 'cancelled', stopReason: 'cancelled on request' });
    expect(cancelled).not.toHaveProperty('error');
    // The freed agent takes the waiting task.
    expect(h.engine.getTask(waiting.id).state).toBe('assigned');
    expect(h.of('task:cancelled')).toEqual([expect.objectContaining({ id: running.id, reason: 'cancelled on request', priority: 'medium' })]);
    expect(refusal(() => h.engine.cancelTask(running.id))).toMatchObject({ code: 'conflict', message: `task ${running.id} is already cancelled` });
    expect(refusal(() => h.engine.cancelTask('task-404')).code).toBe('not_found');
    expect(refusal(() => h.engine.getTask('task-404')).code).toBe('not_found');
    h.clock.advance(10_000);
    expect(refusal(() => h.engine.cancelTask(waiting.id)).code).toBe('conflict');
  });

  it('creates a workflow; refuses an unknown swarm; the schema refuses cycles, duplicates and unknown dependencies', () => {
    h = harness();
    h.engine.createSwarm({ name: 'A', topology: 'mesh', agents: 2 });
    const wf = h.engine.createWorkflow(
      workflowCreateSchema.parse({
        name: 'W',
        steps: [
          { id: 'a', title: 'A' },
          { id: 'b', title: 'B', dependsOn: ['a'] },
        ],
      }),
    );
    expect(wf).toMatchObject({
      id: 'workflow-1',
      state: 'running',
      steps: [
        { id: 'a', state: 'running' },
        { id: 'b', state: 'pending', taskId: null },
      ],
    });
    expect(h.engine.getWorkflow(wf.id).id).toBe(wf.id);
    expect(h.engine.listWorkflows().map((w) => w.id)).toEqual([wf.id]);
    expect(refusal(() => h.engine.createWorkflow(workflowCreateSchema.parse({ name: 'W', swarmId: 'swarm-5', steps: [{ id: 'a', title: 'A' }] }))).code).toBe('not_found');
    expect(refusal(() => h.engine.getWorkflow('workflow-9')).code).toBe('not_found');
    const cycle = workflowCreateSchema.safeParse({
      name: 'C',
      steps: [
        { id: 'a', title: 'A', dependsOn: ['b'] },
        { id: 'b', title: 'B', dependsOn: ['a'] },
      ],
    });
    const dup = workflowCreateSchema.safeParse({
      name: 'D',
      steps: [
        { id: 'a', title: 'A' },
        { id: 'a', title: 'A2' },
      ],
    });
    const unknown = workflowCreateSchema.safeParse({ name: 'U', steps: [{ id: 'a', title: 'A', dependsOn: ['zzz'] }] });
    expect([cycle.success, dup.success, unknown.success]).toEqual([false, false, false]);
  });

  it('refuses commands when the engine is not running', () => {
    h = harness();
    h.engine.stop();
    expect(refusal(() => h.engine.listSwarms()).code).toBe('unavailable');
  });
});

describe('command handlers', () => {
  it('map each command onto the engine and return the PROTOCOL §7 result', async () => {
    h = harness();
    const swarms = swarmHandlers(h.engine);
    const tasks = taskHandlers(h.engine);
    const created = (await swarms['swarm:create']!({ name: 'Test Swarm', topology: 'mesh', agents: 3 }, ctx)) as { id: string };
    expect(created.id).toBe('swarm-1');
    expect(await swarms['swarm:scale']!({ swarmId: created.id, role: 'tester', count: 1 }, ctx)).toMatchObject({ id: created.id });
    expect(await swarms['swarm:analyze']!({ swarmId: created.id }, ctx)).toMatchObject({ swarmId: created.id, bottlenecks: [] });
    const t = (await tasks['task:create']!(task(), ctx)) as { id: string };
    expect(await tasks['task:cancel']!({ taskId: t.id }, ctx)).toMatchObject({ id: t.id, state: 'cancelled' });
    expect(await tasks['workflow:create']!(workflowCreateSchema.parse({ name: 'W', steps: [{ id: 's', title: 'S' }] }), ctx)).toMatchObject({ name: 'W' });
    expect(await swarms['swarm:delete']!({ swarmId: created.id }, ctx)).toMatchObject({ id: created.id });
    expect(Object.keys(tasks)).not.toContain('task:execute:immediate');
  });
});
