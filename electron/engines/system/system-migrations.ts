import type { Migration } from '../../store/migrations';

/** The system engine's tables: metrics history and alerts. Each runs once, inside a transaction; append, never edit. */
export const SYSTEM_MIGRATIONS: Migration[] = [
  {
    id: '002-metrics',
    sql: `
      CREATE TABLE metrics_history (
        ts INTEGER NOT NULL,
        cpu REAL NOT NULL,
        memory REAL NOT NULL,
        disk REAL,
        rx_bytes_per_sec REAL,
        tx_bytes_per_sec REAL,
        load1 REAL
      );
      CREATE INDEX metrics_history_ts ON metrics_history (ts);
      CREATE TABLE alerts (
        id TEXT PRIMARY KEY,
        ts INTEGER NOT NULL,
        severity TEXT NOT NULL,
        component TEXT NOT NULL,
        message TEXT NOT NULL,
        value REAL,
        threshold REAL,
        acknowledged_at INTEGER
      );
      CREATE INDEX alerts_ts ON alerts (ts);`,
  },
  {
    id: '020-alert-resolution',
    sql: `
      ALTER TABLE alerts ADD COLUMN acknowledged_by TEXT;
      ALTER TABLE alerts ADD COLUMN resolved_at INTEGER;
      ALTER TABLE alerts ADD COLUMN resolves TEXT;
      CREATE INDEX alerts_open ON alerts (component, resolved_at);`,
  },
];
