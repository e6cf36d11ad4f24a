/** Ordered schema migrations; each runs once, inside a transaction. Append, never edit. */
export const MIGRATIONS: { id: string; sql: string }[] = [
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
  {
    id: '010-swarms',
    sql: `
      CREATE TABLE swarms (
        id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL,
        name TEXT NOT NULL,
        topology TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        topology_changed_at INTEGER NOT NULL
      );
      CREATE TABLE swarm_agents (
        id TEXT PRIMARY KEY,
        swarm_id TEXT NOT NULL REFERENCES swarms (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        role TEXT NOT NULL,
        skills TEXT NOT NULL,
        status TEXT NOT NULL,
        load REAL NOT NULL,
        load_at INTEGER NOT NULL,
        fragility REAL NOT NULL
      );
      CREATE INDEX swarm_agents_swarm ON swarm_agents (swarm_id);
      CREATE TABLE swarm_counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);`,
  },
  {
    id: '011-tasks',
    sql: `
      CREATE TABLE tasks (
        id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL,
        title TEXT NOT NULL,
        description TEXT,
        priority TEXT NOT NULL,
        state TEXT NOT NULL,
        requested TEXT NOT NULL,
        requirements TEXT NOT NULL,
        estimated_duration INTEGER NOT NULL,
        requested_swarm_id TEXT,
        swarm_id TEXT,
        assignee TEXT,
        workflow_id TEXT,
        step_id TEXT,
        progress REAL NOT NULL,
        stage TEXT,
        queue_reason TEXT,
        created_at INTEGER NOT NULL,
        queued_at INTEGER NOT NULL,
        started_at INTEGER,
        finished_at INTEGER,
        result TEXT,
        error TEXT,
        attempts INTEGER NOT NULL
      );
      CREATE INDEX tasks_state ON tasks (state);
      CREATE INDEX tasks_finished ON tasks (finished_at);`,
  },
  {
    id: '012-workflows',
    sql: `
      CREATE TABLE workflows (
        id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL,
        name TEXT NOT NULL,
        state TEXT NOT NULL,
        priority TEXT NOT NULL,
        swarm_id TEXT,
        created_at INTEGER NOT NULL,
        finished_at INTEGER,
        error TEXT,
        steps TEXT NOT NULL
      );
      CREATE INDEX workflows_state ON workflows (state);
      CREATE INDEX workflows_finished ON workflows (finished_at);`,
  },
  {
    id: '030-neural',
    sql: `
      CREATE TABLE neural_runs (
        id TEXT PRIMARY KEY,
        network_id TEXT NOT NULL,
        network_type TEXT NOT NULL,
        dataset TEXT NOT NULL,
        dataset_id TEXT NOT NULL,
        config TEXT NOT NULL,
        status TEXT NOT NULL,
        retrain_of TEXT,
        created_at INTEGER NOT NULL,
        started_at INTEGER,
        finished_at INTEGER,
        epochs_run INTEGER NOT NULL DEFAULT 0,
        total_epochs INTEGER NOT NULL,
        train_loss REAL,
        val_loss REAL,
        val_accuracy REAL,
        samples_per_second REAL,
        training_time REAL,
        best_epoch INTEGER,
        stopped_early INTEGER,
        message TEXT
      );
      CREATE INDEX neural_runs_network ON neural_runs (network_id, created_at);
      CREATE INDEX neural_runs_status ON neural_runs (status);
      CREATE TABLE neural_run_epochs (
        run_id TEXT NOT NULL REFERENCES neural_runs (id) ON DELETE CASCADE,
        epoch INTEGER NOT NULL,
        train_loss REAL NOT NULL,
        val_loss REAL NOT NULL,
        val_accuracy REAL NOT NULL,
        samples_per_second REAL NOT NULL,
        epoch_ms REAL NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (run_id, epoch)
      );
      CREATE TABLE neural_models (
        id TEXT PRIMARY KEY REFERENCES neural_runs (id) ON DELETE CASCADE,
        network_id TEXT NOT NULL,
        network_type TEXT NOT NULL,
        dataset_id TEXT NOT NULL,
        baseline_accuracy REAL NOT NULL,
        trained_at INTEGER NOT NULL,
        weights BLOB NOT NULL
      );
      CREATE INDEX neural_models_network ON neural_models (network_id, trained_at);
      CREATE INDEX neural_models_dataset ON neural_models (dataset_id, trained_at);`,
  },
  {
    id: '040-task-interruptions',
    sql: 'ALTER TABLE tasks ADD COLUMN interruptions INTEGER NOT NULL DEFAULT 0;',
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
