import type { Migration } from '../../store/migrations';

/** The configuration engine's tables: versioned settings and their audit. Append, never edit. */
export const CONFIG_MIGRATIONS: Migration[] = [
  {
    id: '020-config-versions',
    sql: `
      CREATE TABLE config_versions (
        component TEXT NOT NULL,
        version INTEGER NOT NULL,
        config TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (component, version)
      );
      CREATE TABLE config_audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        component TEXT NOT NULL,
        version INTEGER NOT NULL,
        action TEXT NOT NULL,
        actor TEXT NOT NULL,
        ts INTEGER NOT NULL,
        before TEXT,
        after TEXT NOT NULL,
        reason TEXT,
        rolled_back_to INTEGER
      );
      CREATE INDEX config_audit_component ON config_audit (component, version);`,
  },
];
