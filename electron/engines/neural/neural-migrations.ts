import type { Migration } from '../../store/migrations';

/** The neural engine's tables: networks, models, runs and their epochs. Append, never edit. */
export const NEURAL_MIGRATIONS: Migration[] = [
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
];
