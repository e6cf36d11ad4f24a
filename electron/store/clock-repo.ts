import type { Db } from './database';

export interface ClockRun {
  simStart: number;
  wallStart: number;
  speed: number;
  /** The newest simulated moment the run is known to have reached. */
  simHigh: number;
}

/** The simulated clock's runs, one per server start, so recorded moments map to the wall clock they had. */
export class ClockRepo {
  private readonly stmt;
  private current: number | null = null;

  constructor(db: Db) {
    this.stmt = {
      all: db.prepare('SELECT sim_start, wall_start, speed, sim_high FROM clock_runs ORDER BY id'),
      insert: db.prepare('INSERT INTO clock_runs (sim_start, wall_start, speed, sim_high) VALUES (?, ?, ?, ?)'),
      high: db.prepare('UPDATE clock_runs SET sim_high = MAX(sim_high, ?) WHERE id = ?'),
    };
  }

  runs(): ClockRun[] {
    return (this.stmt.all.all() as { sim_start: number; wall_start: number; speed: number; sim_high: number }[]).map((r) => ({
      simStart: Number(r.sim_start),
      wallStart: Number(r.wall_start),
      speed: Number(r.speed),
      simHigh: Number(r.sim_high),
    }));
  }

  begin(run: ClockRun): void {
    this.current = Number(this.stmt.insert.run(run.simStart, run.wallStart, run.speed, run.simHigh).lastInsertRowid);
  }

  /** Records how far the current run got (called now and then, and at a clean stop). */
  reached(simTime: number): void {
    if (this.current !== null) this.stmt.high.run(simTime, this.current);
  }
}
