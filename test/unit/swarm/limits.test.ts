import { afterEach, describe, expect, it } from 'vitest';
import { defaultsOf, type SwarmsSettings } from '../../../electron/engines/config/schemas';
import { taskCreateSchema, workflowCreateSchema } from '../../../shared/protocol/commands';
import { harness, refusal } from './harness';

const task = () => taskCreateSchema.parse({ title: 'T', estimatedDuration: 60_000 });
const workflow = () => workflowCreateSchema.parse({ name: 'W', steps: [{ id: 'a', title: 'A', estimatedDuration: 60_000 }] });

let h: ReturnType<typeof harness>;
afterEach(() => {
  expect(h.violations).toEqual([]);
  h.engine.stop();
});

/** An engine whose `swarms` limits are small and can be changed while it runs, as config:update does. */
function limited(over: Partial<SwarmsSettings>) {
  let settings: SwarmsSettings = { ...defaultsOf('swarms'), failureRate: 0, ...over };
  h = harness({ settings: { get: () => settings, subscribe: () => () => {} } });
  return (more: Partial<SwarmsSettings>) => (settings = { ...settings, ...more });
}

const rows = (table: string) => (h.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('what clients can make the engine hold is bounded', () => {
  it('swarms: past swarms.maxSwarms a create is refused with conflict and changes nothing; deleting or raising the limit lets it through', () => {
    const raise = limited({ maxSwarms: 2 });
    const a = h.engine.createSwarm({ name: 'A', topology: 'mesh', agents: 1 });
    h.engine.createSwarm({ name: 'B', topology: 'mesh', agents: 1 });
    h.clear();
    expect(refusal(() => h.engine.createSwarm({ name: 'C', topology: 'mesh', agents: 1 }))).toEqual({
      code: 'conflict',
      message: 'the engine holds 2 swarms; 1 more would pass swarms.maxSwarms (2): remove some or raise the limit',
      details: { setting: 'swarms.maxSwarms', limit: 2, held: 2 },
    });
    expect(h.events).toEqual([]);
    expect(rows('swarms')).toBe(2);
    expect(rows('swarm_agents')).toBe(2);
    h.engine.deleteSwarm(a.id);
    // The refused create took no id: ids run on from the last swarm made.
    expect(h.engine.createSwarm({ name: 'C', topology: 'mesh', agents: 1 }).id).toBe('swarm-3');
    raise({ maxSwarms: 3 });
    h.engine.createSwarm({ name: 'D', topology: 'mesh', agents: 1 });
    expect(h.engine.listSwarms()).toHaveLength(3);
  });

  it('agents: swarms.maxAgents counts every swarm, on create and on scaling up; scaling down always passes', () => {
    const lower = limited({ maxAgents: 5 });
    const a = h.engine.createSwarm({ name: 'A', topology: 'mesh', agents: 3 });
    expect(refusal(() => h.engine.createSwarm({ name: 'B', topology: 'mesh', agents: 3 }))).toMatchObject({
      code: 'conflict',
      details: { setting: 'swarms.maxAgents', limit: 5, held: 3 },
    });
    h.engine.createSwarm({ name: 'B', topology: 'mesh', agents: 2 });
    expect(refusal(() => h.engine.scaleSwarm({ swarmId: a.id, role: 'generalist', count: 4 })).code).toBe('conflict');
    expect(h.engine.getSwarm(a.id).agents).toHaveLength(3);
    expect(h.engine.scaleSwarm({ swarmId: a.id, role: 'generalist', count: 1 }).agents).toHaveLength(1);
    expect(h.engine.scaleSwarm({ swarmId: a.id, role: 'generalist', count: 3 }).agents).toHaveLength(3);
    // With the limit lowered below what is held, growing is refused and shrinking still passes.
    lower({ maxAgents: 2 });
    expect(refusal(() => h.engine.scaleSwarm({ swarmId: a.id, role: 'generalist', count: 4 })).code).toBe('conflict');
    expect(h.engine.scaleSwarm({ swarmId: a.id, role: 'generalist', count: 1 }).agents).toHaveLength(1);
  });

  it('tasks: swarms.maxOpenTasks counts queued and running tasks; a finished or cancelled one frees its place', () => {
    limited({ maxOpenTasks: 3 });
    const first = h.engine.createTask(task());
    h.engine.createTask(task());
    h.engine.createTask(task());
    expect(refusal(() => h.engine.createTask(task()))).toMatchObject({ code: 'conflict', details: { setting: 'swarms.maxOpenTasks', limit: 3, held: 3 } });
    expect(rows('tasks')).toBe(3);
    h.engine.cancelTask(first.id);
    h.engine.createTask(task());
    expect(h.engine.listTasks({ state: 'queued' })).toHaveLength(3);
  });

  it('workflows: swarms.maxRunningWorkflows counts the running ones', () => {
    limited({ maxRunningWorkflows: 1 });
    h.engine.createWorkflow(workflow());
    expect(refusal(() => h.engine.createWorkflow(workflow()))).toMatchObject({ code: 'conflict', details: { setting: 'swarms.maxRunningWorkflows', limit: 1, held: 1 } });
    expect(h.engine.listWorkflows()).toHaveLength(1);
  });
});
