import { afterEach, describe, expect, it } from 'vitest';
import { taskCreateSchema, workflowCreateSchema } from '../../../shared/protocol/commands';
import { openAppDatabase } from '../../../electron/engines/migrations';
import { harness, tempDir } from './harness';

const T0 = 1_700_000_000_000;
const task = (extra: Record<string, unknown> = {}) => taskCreateSchema.parse({ title: 'Long', estimatedDuration: 60_000, ...extra });

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.reverse()) fn();
  cleanup = [];
});

/** Starts an engine on `file`, lets the task run a while, then "kill -9": the connection is closed without stop(). */
function crashWhileRunning(file: string, start: number, taskAttempts: number, setup?: (h: ReturnType<typeof harness>) => void) {
  const h = harness({ db: openAppDatabase(file), start, taskAttempts });
  setup?.(h);
  h.clock.advance(5_000);
  h.realClock.advance(50);
  h.db.close();
  return h;
}

describe('task attempt cap', () => {
  it('a task interrupted by restarts again and again fails after taskAttempts runs, with the reason; below the cap it is re-queued', () => {
    const tmp = tempDir();
    cleanup.push(tmp.remove);
    let id = '';
    let wfId = '';
    const first = crashWhileRunning(tmp.file, T0, 3, (h) => {
      h.engine.createSwarm({ name: 'S', topology: 'mesh', agents: 2 });
      id = h.engine.createTask(task()).id;
      wfId = h.engine.createWorkflow(workflowCreateSchema.parse({ name: 'W', steps: [{ id: 'a', title: 'A', estimatedDuration: 60_000 }] })).id;
    });
    expect(first.engine.getTask(id).state).toBe('running');

    // Runs 2 and 3: interrupted, re-queued, started again, interrupted again.
    const second = crashWhileRunning(tmp.file, T0 + 100_000, 3);
    expect(second.of('task:interrupted')).toContainEqual(expect.objectContaining({ id, interruptions: 1 }));
    expect(second.of('task:queued')).toContainEqual(expect.objectContaining({ id, reason: 'interrupted by a restart (1 of 3 attempts); re-queued' }));
    expect(second.engine.getTask(id).state).toBe('running');
    expect(second.of('task:failed')).toEqual([]);
    const third = crashWhileRunning(tmp.file, T0 + 200_000, 3);
    expect(third.of('task:queued')).toContainEqual(expect.objectContaining({ id, reason: 'interrupted by a restart (2 of 3 attempts); re-queued' }));
    expect(third.of('task:failed')).toEqual([]);

    // The third interruption ends it: failed with the reason, not started a fourth time; its workflow fails too.
    const fourth = harness({ db: openAppDatabase(tmp.file), start: T0 + 300_000, taskAttempts: 3 });
    cleanup.push(() => {
      fourth.engine.stop();
      fourth.db.close();
    });
    const reason = 'interrupted 3 times by a server stop while it ran; gave up after 3 attempts';
    expect(fourth.of('task:failed')).toContainEqual(expect.objectContaining({ id, reason, interruptions: 3 }));
    expect(fourth.of('swarm:task:assigned').map((e) => e.taskId)).not.toContain(id);
    expect(fourth.engine.getTask(id)).toMatchObject({ state: 'failed', stopReason: reason });
    expect(fourth.engine.getWorkflow(wfId).state).toBe('failed');
    expect(fourth.violations).toEqual([]);
    fourth.engine.stop();
    // The verdict is stored: a further restart neither re-announces nor revives it.
    const fifth = harness({ db: openAppDatabase(tmp.file), start: T0 + 400_000, taskAttempts: 3 });
    cleanup.push(() => {
      fifth.engine.stop();
      fifth.db.close();
    });
    expect(fifth.engine.getTask(id)).toMatchObject({ state: 'failed', stopReason: reason });
    expect(fifth.of('task:interrupted')).toEqual([]);
  });

  it('the cap is configurable: with taskAttempts 1 the first interruption fails the task', () => {
    const tmp = tempDir();
    cleanup.push(tmp.remove);
    let id = '';
    crashWhileRunning(tmp.file, T0, 1, (h) => {
      h.engine.createSwarm({ name: 'S', topology: 'mesh', agents: 1 });
      id = h.engine.createTask(task()).id;
    });
    const next = harness({ db: openAppDatabase(tmp.file), start: T0 + 100_000, taskAttempts: 1 });
    cleanup.push(() => {
      next.engine.stop();
      next.db.close();
    });
    expect(next.of('task:failed')).toEqual([expect.objectContaining({ id, reason: 'interrupted 1 times by a server stop while it ran; gave up after 1 attempts' })]);
  });
});
