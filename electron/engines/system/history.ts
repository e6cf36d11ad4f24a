import type { Db } from '../../store/database';
import { unsynced } from '../../store/unsynced';
import type { TimedSample } from './system-types';
import type { HistoryPoint } from '../../../shared/protocol/rest';

export type { HistoryPoint };

type Row = {
  ts: number;
  cpu: number;
  memory: number;
  disk: number | null;
  rx: number | null;
  tx: number | null;
  load1: number | null;
};

/** The bounded metrics history behind the 15 min / 1 h / 24 h charts (`metrics_history`). */
export class MetricsHistory {
  private readonly insertStmt;
  private readonly pruneStmt;
  private readonly bucketStmt;
  private readonly write;

  constructor(private readonly db: Db) {
    this.insertStmt = db.prepare('INSERT INTO metrics_history (ts, cpu, memory, disk, rx_bytes_per_sec, tx_bytes_per_sec, load1) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.pruneStmt = db.prepare('DELETE FROM metrics_history WHERE ts < ?');
    // libsql binds JS numbers as REAL, hence the CAST for an integer bucket index.
    this.bucketStmt = db.prepare(`
      SELECT CAST(ROUND(AVG(ts)) AS INTEGER) AS ts, AVG(cpu) AS cpu, AVG(memory) AS memory, AVG(disk) AS disk,
             AVG(rx_bytes_per_sec) AS rx, AVG(tx_bytes_per_sec) AS tx, AVG(load1) AS load1
      FROM metrics_history
      WHERE ts >= ? AND ts <= ?
      GROUP BY CAST((ts - ?) / ? AS INTEGER)
      ORDER BY 1`);
    this.write = db.transaction((s: TimedSample, retainSince: number) => {
      this.insertStmt.run(s.ts, s.cpu.usage, s.memory.usage, s.disk.usage, s.network.rxBytesPerSec, s.network.txBytesPerSec, s.cpu.load1);
      this.pruneStmt.run(retainSince);
    });
  }

  /**
   * Appends a sample and drops what is older than the retention, together. Unsynced: a sample a
   * power cut loses costs nothing, and an fsync every second would stall the event loop.
   */
  add(sample: TimedSample, retentionMs: number): void {
    unsynced(this.db, () => this.write(sample, sample.ts - retentionMs));
  }

  /**
   * Points from `since` to `until`, averaged into at most `maxPoints` equal time
   * buckets (each point at its bucket's mean time).
   */
  range(since: number, until: number, maxPoints: number): HistoryPoint[] {
    const points = Math.max(1, Math.floor(maxPoints));
    const bucketMs = Math.max(1, Math.ceil((until - since + 1) / points));
    return (this.bucketStmt.all(since, until, since, bucketMs) as Row[]).map((r) => ({
      ts: r.ts,
      cpu: r.cpu,
      memory: r.memory,
      disk: r.disk,
      rxBytesPerSec: r.rx,
      txBytesPerSec: r.tx,
      load1: r.load1,
    }));
  }
}
