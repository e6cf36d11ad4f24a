import { afterEach, describe, expect, it } from 'vitest';
import { staticSettings, defaultsOf } from '../../../electron/engines/config/schemas';
import { taskCreateSchema } from '../../../shared/protocol/commands';
import { harness } from './harness';

const flaky = (failureRate: number) => staticSettings({ ...defaultsOf('swarms'), failureRate, optimizerEnabled: false });

let h: ReturnType<typeof harness>;
afterEach(() => {
  expect(h.violations).toEqual([]);
  h.engine.stop();
});

describe('agent failures', () => {
  it('agents fail and recover (seeded), announced with oldStatus/newStatus', () => {
    h = harness({ periodic: true, settings: flaky(0.2), recoveryMs: 10_000 });
    const s = h.engine.createSwarm({ name: 'S', topology: 'mesh', agents: 5 });
    h.clock.advance(5 * 60_000);
    const changes = h.of('swarm:agent:status');
    const downs = changes.filter((c) => c.newStatus === 'failed' || c.newStatus === 'offline');
    const ups = changes.filter((c) => (c.oldStatus === 'failed' || c.oldStatus === 'offline') && c.newStatus === 'idle');
    // 5 agents × 0.2/min over 5 min: about 5 failures expected.
    expect(downs.length).toBeGreaterThanOrEqual(2);
    expect(ups.length).toBeGreaterThanOrEqual(downs.length - 1);
    for (const c of changes) expect(c).toMatchObject({ swarmId: s.id, agentId: expect.stringMatching(/^agent-/) });
    expect(downs[0]?.reason).toMatch(/crashed|lost its connection/);
  });

  it('tasks on a failing agent are re-queued and reassigned, never lost', () => {
    h = harness({ periodic: true, settings: flaky(0.5), recoveryMs: 5_000 });
    h.engine.createSwarm({ name: 'S', topology: 'ring', agents: 4 });
    const ids = Array.from({ length: 40 }, (_, i) => h.engine.createTask(taskCreateSchema.parse({ title: `t${i}`, estimatedDuration: 20_000 })).id);
    h.clock.advance(30 * 60_000);
    const requeued = h.of('task:queued').filter((e) => e.requeued === true);
    expect(requeued.length).toBeGreaterThan(0);
    expect(requeued[0]?.reason).toMatch(/agent agent-\d+ (crashed|lost its connection); re-queued/);
    // Every task finished, and exactly once.
    expect(ids.map((id) => h.engine.getTask(id).state)).toEqual(ids.map(() => 'completed'));
    expect(
      h
        .of('task:completed')
        .map((e) => e.id)
        .sort(),
    ).toEqual([...ids].sort());
    const retried = ids.map((id) => h.engine.getTask(id)).filter((t) => (t.result as { attempts: number }).attempts > 1);
    expect(retried.length).toBe(new Set(requeued.map((e) => e.id)).size);
    expect(h.engine.stats()).toMatchObject({ tasks: { queued: 0, running: 0 } });
  });

  it('a task that fails on completion is reported with a reason and counted', () => {
    h = harness({ taskFailureRate: 1 });
    h.engine.createSwarm({ name: 'S', topology: 'mesh', agents: 1 });
    const t = h.engine.createTask(taskCreateSchema.parse({ title: 'x', estimatedDuration: 1_000 }));
    h.clock.advance(2_000);
    expect(h.of('task:failed')).toEqual([expect.objectContaining({ id: t.id, reason: expect.stringMatching(/while verifying on agent-1$/) })]);
    expect(h.engine.getTask(t.id)).toMatchObject({ state: 'failed', stopReason: expect.any(String) });
    expect(h.engine.stats().tasks.failedLastHour).toBe(1);
    h.clock.advance(3_600_000);
    expect(h.engine.stats().tasks.failedLastHour).toBe(0);
  });
});
