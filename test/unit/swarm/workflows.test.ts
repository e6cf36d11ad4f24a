import { afterEach, describe, expect, it } from 'vitest';
import { workflowCreateSchema } from '../../../shared/protocol/commands';
import { harness } from './harness';

let h: ReturnType<typeof harness>;
afterEach(() => {
  expect(h.violations).toEqual([]);
  h.engine.stop();
});

/** build → (test ∥ docs) → release */
const diamond = workflowCreateSchema.parse({
  name: 'Release',
  priority: 'high',
  steps: [
    { id: 'build', title: 'Build', estimatedDuration: 2_000 },
    { id: 'test', title: 'Test', dependsOn: ['build'], estimatedDuration: 4_000 },
    { id: 'docs', title: 'Docs', dependsOn: ['build'], estimatedDuration: 4_000 },
    { id: 'release', title: 'Release', dependsOn: ['test', 'docs'], estimatedDuration: 1_000 },
  ],
});

describe('workflows', () => {
  it('runs steps in dependency order, independent steps in parallel, and completes', () => {
    h = harness();
    h.engine.createSwarm({ name: 'S', topology: 'mesh', agents: 3 });
    h.clear();
    const wf = h.engine.createWorkflow(diamond);
    expect(h.events.slice(0, 2).map((e) => e.event)).toEqual(['workflow:created', 'workflow:started']);
    expect(h.of('workflow:started')[0]).toMatchObject({ id: wf.id, steps: [{ id: 'build' }, { id: 'test' }, { id: 'docs' }, { id: 'release' }], priority: 'high' });
    h.clock.advance(60_000);
    const spans = Object.fromEntries(
      h.engine.getWorkflow(wf.id).steps.map((s) => {
        const t = h.engine.getTask(s.taskId!);
        return [s.id, { start: t.startedAt!, end: t.finishedAt! }];
      }),
    );
    expect(spans.test!.start).toBeGreaterThanOrEqual(spans.build!.end);
    expect(spans.docs!.start).toBeGreaterThanOrEqual(spans.build!.end);
    // test and docs overlap: they ran in parallel.
    expect(spans.test!.start).toBeLessThan(spans.docs!.end);
    expect(spans.docs!.start).toBeLessThan(spans.test!.end);
    expect(spans.release!.start).toBeGreaterThanOrEqual(Math.max(spans.test!.end, spans.docs!.end));
    expect(h.of('workflow:step:completed').map((e) => e.stepId)).toEqual(['build', expect.any(String), expect.any(String), 'release']);
    expect(h.of('workflow:step:completed').every((e) => e.workflowId === wf.id)).toBe(true);
    expect(h.of('workflow:completed')).toEqual([expect.objectContaining({ id: wf.id })]);
    expect(h.engine.getWorkflow(wf.id)).toMatchObject({ state: 'completed', steps: diamond.steps.map((s) => ({ id: s.id, state: 'completed' })) });
    // Step tasks carry the workflow id and its priority, so task filters work on them.
    expect(h.of('task:created').every((e) => e.workflowId === wf.id && e.priority === 'high')).toBe(true);
  });

  it('a step becomes a task only when its dependencies have completed', () => {
    h = harness();
    h.engine.createSwarm({ name: 'S', topology: 'mesh', agents: 3 });
    const wf = h.engine.createWorkflow(diamond);
    expect(h.of('task:created')).toHaveLength(1);
    h.clock.advance(1_000);
    expect(h.engine.getWorkflow(wf.id).steps.map((s) => s.state)).toEqual(['running', 'pending', 'pending', 'pending']);
    h.clock.advance(2_000);
    expect(h.engine.getWorkflow(wf.id).steps.map((s) => s.state)).toEqual(['completed', 'running', 'running', 'pending']);
  });

  it('a failed step fails the workflow with the reason and cancels what has not finished', () => {
    h = harness({ taskFailureRate: 1 });
    h.engine.createSwarm({ name: 'S', topology: 'mesh', agents: 3 });
    const wf = h.engine.createWorkflow(
      workflowCreateSchema.parse({
        name: 'Fragile',
        steps: [
          { id: 'quick', title: 'Quick', estimatedDuration: 1_000 },
          { id: 'slow', title: 'Slow', estimatedDuration: 50_000 },
          { id: 'after', title: 'After', dependsOn: ['quick', 'slow'] },
        ],
      }),
    );
    h.clock.advance(5_000);
    const failed = h.of('workflow:failed');
    expect(failed).toEqual([expect.objectContaining({ id: wf.id, reason: expect.stringMatching(/^step 'quick' failed: .+/) })]);
    const after = h.engine.getWorkflow(wf.id);
    expect(after).toMatchObject({ state: 'failed', stopReason: failed[0]?.reason });
    expect(after.steps.map((s) => s.state)).toEqual(['failed', 'cancelled', 'cancelled']);
    expect(h.engine.getTask(after.steps[1]!.taskId!)).toMatchObject({ state: 'cancelled', stopReason: `workflow ${wf.id} failed` });
    expect(after.steps[2]?.taskId).toBeNull();
    h.clock.advance(100_000);
    expect(h.of('workflow:completed')).toEqual([]);
  });

  it('cancelling a step task fails its workflow', () => {
    h = harness();
    h.engine.createSwarm({ name: 'S', topology: 'mesh', agents: 1 });
    const wf = h.engine.createWorkflow(
      workflowCreateSchema.parse({
        name: 'W',
        steps: [
          { id: 'a', title: 'A' },
          { id: 'b', title: 'B', dependsOn: ['a'] },
        ],
      }),
    );
    h.engine.cancelTask(wf.steps[0]!.taskId!);
    expect(h.engine.getWorkflow(wf.id)).toMatchObject({ state: 'failed', stopReason: "step 'a' was cancelled: cancelled on request" });
  });
});
