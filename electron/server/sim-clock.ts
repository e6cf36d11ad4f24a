import { nextClockStart, ScaledClock } from '../engines/clock';
import { ClockRepo } from '../store/clock-repo';
import type { Db } from '../store/database';

const JOURNAL_MS = 5000;

/**
 * The simulated engines' clock, continued across restarts: each start records a
 * run (where simulated time starts, at which wall moment, at what speed), so
 * every moment recorded earlier still maps to the wall-clock time it was shown
 * with, whatever `--sim-speed` the next start uses.
 */
export function persistentSimClock(db: Db, speed: number, wall: () => number = Date.now): { clock: ScaledClock; stop: () => void } {
  const repo = new ClockRepo(db);
  const runs = repo.runs();
  const start = nextClockStart(runs.at(-1) ?? null, wall());
  const clock = new ScaledClock(speed, { start, earlier: runs });
  repo.begin({ ...clock.segment, simHigh: start.simStart });
  const journal = (): void => {
    try {
      repo.reached(clock.now());
    } catch {
      // A store that cannot write now (a full disk) is retried on the next tick; the next start falls back on the wall clock.
    }
  };
  const timer = setInterval(journal, JOURNAL_MS);
  timer.unref();
  return {
    clock,
    stop: () => {
      clearInterval(timer);
      journal();
    },
  };
}
