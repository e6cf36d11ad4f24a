import { afterEach, describe, expect, it } from 'vitest';
import { taskCreateSchema } from '../../../shared/protocol/commands';
import { openAppDatabase } from '../../../electron/engines/migrations';
import { harness, refusal, tempDir } from './harness';

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.reverse()) fn();
  cleanup = [];
});

/** Lets the store grow by no page more: a real SQLITE_FULL at the next write that needs room. */
function capStore(db: ReturnType<typeof openAppDatabase>): void {
  const [{ page_count: pages }] = db.pragma('page_count') as [{ page_count: number }];
  db.pragma(`max_page_count = ${pages}`);
}

describe('a command whose commit fails after it changed the engine (issue 8)', () => {
  it('halts the engine: the change is never shown or written, and a restart finds the state from before it', () => {
    const tmp = tempDir();
    cleanup.push(tmp.remove);
    // minFreeBytes 0: skip the up-front free-space check, so the commit itself fails.
    const h = harness({ db: openAppDatabase(tmp.file), minFreeBytes: 0, maxAgentsPerSwarm: 5000 });
    const swarm = h.engine.createSwarm({ name: 'Capped', topology: 'mesh', agents: 1 });
    const kept = h.engine.createTask(taskCreateSchema.parse({ title: 'kept', estimatedDuration: 3_600_000 }));
    // Positive control: an uncapped scale writes.
    expect(h.engine.scaleSwarm({ swarmId: swarm.id, role: 'generalist', count: 2 }).agents).toHaveLength(2);
    // The group commit of simulated transitions (here a quick task finishing) skips the sync, and puts it back.
    const quick = h.engine.createTask(taskCreateSchema.parse({ title: 'quick', estimatedDuration: 100 }));
    h.clock.advance(5_000);
    h.realClock.advance(100);
    expect(h.engine.getTask(quick.id).state).toBe('completed');
    expect(h.db.pragma('synchronous')).toEqual([{ synchronous: 2 }]);

    capStore(h.db);
    const refused = refusal(() => h.engine.scaleSwarm({ swarmId: swarm.id, role: 'generalist', count: 3000 }));
    expect(refused).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/disk is full/) });
    // The 3,000 agents exist in memory only; the engine shows nothing more and writes nothing more.
    expect(refusal(() => h.engine.listSwarms())).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/halted.*restart the server/) });
    expect(refusal(() => h.engine.cancelTask(kept.id))).toMatchObject({ code: 'unavailable' });
    h.realClock.advance(1_000);
    h.clock.advance(60_000);
    h.engine.stop();
    h.db.close();

    const again = harness({ db: openAppDatabase(tmp.file), minFreeBytes: 0 });
    cleanup.push(() => {
      again.engine.stop();
      again.db.close();
    });
    expect(again.engine.getSwarm(swarm.id).agents).toHaveLength(2);
    expect(again.engine.getTask(kept.id).state).not.toBe('cancelled');
  });
});
