/** One schema change: runs once, inside a transaction, recorded by its id. */
export interface Migration {
  id: string;
  sql: string;
}

/**
 * The store's own tables (tokens, permission requests, the event log, the clock journal). Each
 * engine declares its tables beside its repository, and `openDatabase` runs every list it is given
 * in id order. Append, never edit.
 */
export const STORE_MIGRATIONS: Migration[] = [
  {
    id: '001-auth',
    sql: `
      CREATE TABLE tokens (
        jti TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        permissions TEXT NOT NULL,
        kind TEXT NOT NULL,
        issued_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        revoked_at INTEGER
      );
      CREATE TABLE refresh_tokens (
        hash TEXT PRIMARY KEY,
        jti TEXT NOT NULL,
        user_id TEXT NOT NULL,
        permissions TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at INTEGER
      );
      CREATE TABLE permission_requests (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        token_jti TEXT,
        permissions TEXT NOT NULL,
        reason TEXT NOT NULL,
        status TEXT NOT NULL,
        decided_by TEXT,
        decision_reason TEXT,
        created_at INTEGER NOT NULL,
        decided_at INTEGER
      );`,
  },
  {
    // Refreshed and granted tokens belong to the family of the token they came from: revoking one revokes all.
    id: '041-token-families',
    sql: `
      ALTER TABLE tokens ADD COLUMN family TEXT;
      UPDATE tokens SET family = jti WHERE family IS NULL;
      CREATE INDEX tokens_family ON tokens (family);
      CREATE INDEX tokens_kind_user ON tokens (kind, user_id);
      CREATE INDEX permission_requests_token ON permission_requests (token_jti, status);`,
  },
  {
    id: '042-event-log',
    sql: `
      CREATE TABLE event_log (
        seq INTEGER PRIMARY KEY,
        event TEXT NOT NULL,
        channel TEXT NOT NULL,
        payload TEXT NOT NULL,
        ts INTEGER NOT NULL
      );
      CREATE TABLE event_log_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );`,
  },
  {
    id: '043-clock-runs',
    sql: `
      CREATE TABLE clock_runs (
        id INTEGER PRIMARY KEY,
        sim_start INTEGER NOT NULL,
        wall_start INTEGER NOT NULL,
        speed REAL NOT NULL,
        sim_high INTEGER NOT NULL
      );`,
  },
];
