import type { Db } from '../../store/database';
import type { Severity } from '../../../shared/protocol/channels';
import type { StoredAlert } from '../../../shared/protocol/rest';

export type { StoredAlert };

type Row = {
  id: string;
  ts: number;
  severity: string;
  component: string;
  message: string;
  value: number | null;
  threshold: number | null;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  resolved_at: number | null;
  resolves: string | null;
};

const COLUMNS = 'id, ts, severity, component, message, value, threshold, acknowledged_at, acknowledged_by, resolved_at, resolves';

function toAlert(r: Row): StoredAlert {
  return {
    id: r.id,
    ts: r.ts,
    severity: r.severity as Severity,
    component: r.component,
    message: r.message,
    value: r.value,
    threshold: r.threshold,
    acknowledgedAt: r.acknowledged_at,
    acknowledgedBy: r.acknowledged_by,
    resolvedAt: r.resolved_at,
    resolves: r.resolves,
  };
}

export interface AlertQuery {
  limit?: number;
  since?: number;
  unacknowledgedOnly?: boolean;
}

/** System alerts in the `alerts` table: each level change is one row; a change resolves the component's open alerts. */
export class AlertStore {
  private readonly insertStmt;
  private readonly resolveStmt;
  private readonly openStmt;
  private readonly ackStmt;
  private readonly getStmt;
  private readonly listStmt;
  private readonly resolveAllStmt;
  private readonly record;

  constructor(db: Db) {
    this.insertStmt = db.prepare('INSERT INTO alerts (id, ts, severity, component, message, value, threshold, resolves) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    this.openStmt = db.prepare("SELECT id FROM alerts WHERE component = ? AND resolved_at IS NULL AND severity != 'info' ORDER BY ts DESC LIMIT 1");
    this.resolveStmt = db.prepare("UPDATE alerts SET resolved_at = ? WHERE component = ? AND resolved_at IS NULL AND severity != 'info'");
    this.resolveAllStmt = db.prepare("UPDATE alerts SET resolved_at = ? WHERE resolved_at IS NULL AND severity != 'info' AND ts < ?");
    this.ackStmt = db.prepare('UPDATE alerts SET acknowledged_at = ?, acknowledged_by = ? WHERE id = ? AND acknowledged_at IS NULL');
    this.getStmt = db.prepare(`SELECT ${COLUMNS} FROM alerts WHERE id = ?`);
    this.listStmt = db.prepare(`SELECT ${COLUMNS} FROM alerts WHERE ts >= ? AND (? = 0 OR acknowledged_at IS NULL) ORDER BY ts DESC, rowid DESC LIMIT ?`);
    this.record = db.transaction((a: Omit<StoredAlert, 'acknowledgedAt' | 'acknowledgedBy' | 'resolvedAt' | 'resolves'>): string | null => {
      const open = (this.openStmt.get(a.component) as { id: string } | undefined)?.id ?? null;
      this.resolveStmt.run(a.ts, a.component);
      this.insertStmt.run(a.id, a.ts, a.severity, a.component, a.message, a.value, a.threshold, open);
      return open;
    });
  }

  /** Stores a level change, resolving the component's open alert; returns the id of the alert it resolved. */
  add(alert: Omit<StoredAlert, 'acknowledgedAt' | 'acknowledgedBy' | 'resolvedAt' | 'resolves'>): string | null {
    return this.record(alert);
  }

  /** Alerts left open by an earlier run are no longer tracked; a condition that persists is raised afresh. */
  resolveStale(now: number): void {
    this.resolveAllStmt.run(now, now);
  }

  list(query: AlertQuery = {}): StoredAlert[] {
    const limit = Math.min(Math.max(1, query.limit ?? 50), 1000);
    return (this.listStmt.all(query.since ?? 0, query.unacknowledgedOnly ? 1 : 0, limit) as Row[]).map(toAlert);
  }

  get(id: string): StoredAlert | null {
    const row = this.getStmt.get(id) as Row | undefined;
    return row ? toAlert(row) : null;
  }

  /** Marks an alert acknowledged; acknowledging twice keeps the first. Returns null for an unknown id. */
  acknowledge(id: string, actor: string, now: number): StoredAlert | null {
    this.ackStmt.run(now, actor, id);
    return this.get(id);
  }
}
