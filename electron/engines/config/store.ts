import type { Db } from '../../store/database';
import { diffSettings } from './diff';
import type { AuditEntry } from '../../../shared/protocol/results';

export type AuditAction = 'defaults' | 'update' | 'rollback' | 'optimize';

export type { AuditEntry };

export interface NewVersion {
  component: string;
  action: AuditAction;
  actor: string;
  at: number;
  before: Record<string, unknown> | null;
  after: Record<string, unknown>;
  reason?: string | null;
  rolledBackTo?: number | null;
}

type AuditRow = {
  component: string;
  version: number;
  action: string;
  actor: string;
  ts: number;
  before: string | null;
  after: string;
  reason: string | null;
  rolled_back_to: number | null;
};

const parse = (json: string) => JSON.parse(json) as Record<string, unknown>;

function toEntry(row: AuditRow): AuditEntry {
  const before = row.before === null ? null : parse(row.before);
  const after = parse(row.after);
  return {
    component: row.component,
    version: row.version,
    action: row.action as AuditAction,
    actor: row.actor,
    at: row.ts,
    before,
    after,
    diff: diffSettings(before, after),
    reason: row.reason,
    rolledBackTo: row.rolled_back_to,
  };
}

/** Versioned configs and their audit trail in SQLite; a version and its audit entry are written together. */
export class ConfigStore {
  private readonly insertVersionStmt;
  private readonly insertAuditStmt;
  private readonly latestStmt;
  private readonly versionStmt;
  private readonly auditStmt;
  private readonly write;

  constructor(db: Db) {
    this.insertVersionStmt = db.prepare('INSERT INTO config_versions (component, version, config, created_at) VALUES (?, ?, ?, ?)');
    this.insertAuditStmt = db.prepare('INSERT INTO config_audit (component, version, action, actor, ts, before, after, reason, rolled_back_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    this.latestStmt = db.prepare('SELECT version, config FROM config_versions WHERE component = ? ORDER BY version DESC LIMIT 1');
    this.versionStmt = db.prepare('SELECT config FROM config_versions WHERE component = ? AND version = ?');
    this.auditStmt = db.prepare(
      'SELECT component, version, action, actor, ts, before, after, reason, rolled_back_to FROM config_audit WHERE component = ? ORDER BY version DESC, id DESC LIMIT ?',
    );
    // The next version number is read inside the transaction that writes it.
    this.write = db.transaction((v: NewVersion): number => {
      const version = (this.latest(v.component)?.version ?? 0) + 1;
      const after = JSON.stringify(v.after);
      this.insertVersionStmt.run(v.component, version, after, v.at);
      this.insertAuditStmt.run(v.component, version, v.action, v.actor, v.at, v.before === null ? null : JSON.stringify(v.before), after, v.reason ?? null, v.rolledBackTo ?? null);
      return version;
    });
  }

  latest(component: string): { version: number; config: Record<string, unknown> } | null {
    const row = this.latestStmt.get(component) as { version: number; config: string } | undefined;
    return row ? { version: row.version, config: parse(row.config) } : null;
  }

  version(component: string, version: number): Record<string, unknown> | null {
    const row = this.versionStmt.get(component, version) as { config: string } | undefined;
    return row ? parse(row.config) : null;
  }

  /** Newest first. */
  audit(component: string, limit = 500): AuditEntry[] {
    return (this.auditStmt.all(component, limit) as AuditRow[]).map(toEntry);
  }

  /** Writes the next version and its audit entry in one transaction; returns the version number. */
  append(v: NewVersion): number {
    return this.write(v);
  }
}
