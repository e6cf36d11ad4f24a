import { describe, expect, it } from 'vitest';
import { defaultsOf, staticSettings } from '../../../electron/engines/config/schemas';
import { taskCreateSchema, workflowCreateSchema } from '../../../shared/protocol/commands';
import { harness } from './harness';

/** A busy scenario: failures and recoveries, task failures, several swarms, a workflow, the optimiser, cancellations. */
function run(seed: string): string[] {
  const h = harness({ seed, periodic: true, settings: staticSettings({ ...defaultsOf('swarms'), failureRate: 0.1 }), taskFailureRate: 0.05, recoveryMs: 8_000 });
  const big = h.engine.createSwarm({
    name: 'Big',
    topology: 'mesh',
    agents: [
      { role: 'developer', count: 20 },
      { role: 'tester', count: 5 },
    ],
  });
  h.engine.createSwarm({ name: 'Small', topology: 'ring', agents: 3 });
  for (let i = 0; i < 300; i++) {
    const priority = (['low', 'medium', 'high', 'urgent'] as const)[i % 4];
    h.engine.createTask(taskCreateSchema.parse({ title: `t${i}`, priority, estimatedDuration: 2_000 + (i % 7) * 1_000, requirements: i % 5 === 0 ? ['testing'] : [] }));
  }
  h.engine.createWorkflow(
    workflowCreateSchema.parse({
      name: 'W',
      steps: [
        { id: 'a', title: 'A' },
        { id: 'b', title: 'B', dependsOn: ['a'] },
        { id: 'c', title: 'C', dependsOn: ['a'] },
      ],
    }),
  );
  h.clock.advance(30_000);
  h.engine.cancelTask('task-297');
  h.engine.scaleSwarm({ swarmId: big.id, role: 'tester', count: 2 });
  h.clock.advance(3 * 60_000);
  expect(h.violations).toEqual([]);
  h.engine.stop();
  return h.trace();
}

describe('determinism', () => {
  it('the same seed and commands give the same event sequence (timestamps aside)', () => {
    const a = run('seed-42');
    const b = run('seed-42');
    expect(a.length).toBeGreaterThan(1_000);
    expect(b).toEqual(a);
    const kinds = new Set(a.map((line) => (JSON.parse(line) as [string])[0]));
    for (const k of ['swarm:agent:status', 'task:failed', 'task:queued', 'swarm:efficiency', 'swarm:topology:changed', 'workflow:completed', 'task:cancelled']) {
      expect(kinds).toContain(k);
    }
  });

  it('another seed gives another run', () => {
    expect(run('seed-43')).not.toEqual(run('seed-42'));
  });
});
