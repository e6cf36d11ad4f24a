import type { Db } from '../../store/database';
import type { TrainingConfig } from './config';
import type { DatasetRef } from './datasets/dataset-types';
import type { RunView, EpochRecord } from '../../../shared/protocol/results';

export type StoredRunStatus = 'queued' | 'running' | 'completed' | 'stopped' | 'failed' | 'interrupted';

/** The run and epoch views are part of the wire contract (shared/protocol/results). */
export type { EpochRecord, RunView };

export interface NewRun {
  runId: string;
  networkId: string;
  networkType: string;
  dataset: DatasetRef;
  datasetId: string;
  config: TrainingConfig;
  retrainOf?: string;
  createdAt: number;
}

export interface RunOutcome {
  status: Exclude<StoredRunStatus, 'queued' | 'running'>;
  finishedAt: number;
  epochsRun?: number;
  valLoss?: number;
  /** Percent. */
  valAccuracy?: number;
  samplesPerSecond?: number;
  trainingTime?: number;
  bestEpoch?: number;
  stoppedEarly?: boolean;
  message?: string;
}

export interface StoredModel {
  modelId: string;
  networkId: string;
  networkType: string;
  datasetId: string;
  /** Percent. */
  baselineAccuracy: number;
  trainedAt: number;
  weights: Uint8Array;
}

export interface NetworkSummary {
  networkId: string;
  networkType: string;
  runs: number;
  lastRunAt: number;
}

export interface RetentionLimits {
  /** Runs whose per-epoch history is kept (the most recent ones). */
  historyRuns: number;
  /** Finished runs kept at all; runs holding a kept model are never dropped. */
  finishedRuns: number;
  /** Models kept per network, newest first. */
  modelsPerNetwork: number;
}

type Row = Record<string, unknown>;
const num = (row: Row, key: string): number => Number(row[key]);
const optNum = (row: Row, key: string): number | null => (row[key] === null || row[key] === undefined ? null : Number(row[key]));
const optStr = (row: Row, key: string): string | undefined => (row[key] === null || row[key] === undefined ? undefined : String(row[key]));

function toRun(row: Row): RunView {
  const ref = JSON.parse(String(row.dataset)) as DatasetRef;
  const status = String(row.status) as StoredRunStatus;
  const valAccuracy = optNum(row, 'val_accuracy');
  const run: RunView = {
    runId: String(row.id),
    networkId: String(row.network_id),
    networkType: String(row.network_type),
    dataset: String(row.dataset_id),
    config: JSON.parse(String(row.config)) as TrainingConfig,
    status,
    createdAt: num(row, 'created_at'),
    startedAt: optNum(row, 'started_at'),
    finishedAt: optNum(row, 'finished_at'),
    epoch: num(row, 'epochs_run'),
    totalEpochs: num(row, 'total_epochs'),
    trainLoss: optNum(row, 'train_loss'),
    currentLoss: optNum(row, 'val_loss'),
    currentAccuracy: valAccuracy,
    samplesPerSecond: optNum(row, 'samples_per_second'),
  };
  if (typeof ref !== 'string') run.csvPath = ref.csvPath;
  const retrainOf = optStr(row, 'retrain_of');
  if (retrainOf) run.retrainOf = retrainOf;
  if (status === 'completed' && valAccuracy !== null) run.finalAccuracy = valAccuracy;
  const trainingTime = optNum(row, 'training_time');
  if (trainingTime !== null) run.trainingTime = trainingTime;
  const bestEpoch = optNum(row, 'best_epoch');
  if (bestEpoch !== null) run.bestEpoch = bestEpoch;
  if (row.stopped_early !== null && row.stopped_early !== undefined) run.stoppedEarly = Boolean(row.stopped_early);
  const message = optStr(row, 'message');
  if (message) run.message = message;
  return run;
}

function toModel(row: Row): StoredModel {
  // libsql hands BLOBs back as ArrayBuffer.
  const weights = row.weights as ArrayBuffer | Uint8Array;
  return {
    modelId: String(row.id),
    networkId: String(row.network_id),
    networkType: String(row.network_type),
    datasetId: String(row.dataset_id),
    baselineAccuracy: num(row, 'baseline_accuracy'),
    trainedAt: num(row, 'trained_at'),
    weights: ArrayBuffer.isView(weights) ? new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength) : new Uint8Array(weights),
  };
}

/**
 * SQLite persistence of training runs, their per-epoch history and trained
 * models. Epoch rows are written behind (buffered, one transaction per flush):
 * a fast run reports hundreds of epochs a second and no ack waits on them.
 */
export class RunStore {
  private pendingEpochs: { runId: string; record: EpochRecord }[] = [];

  constructor(
    private readonly db: Db,
    private readonly limits: RetentionLimits = { historyRuns: 200, finishedRuns: 1000, modelsPerNetwork: 3 },
  ) {}

  insertRun(run: NewRun): void {
    this.db
      .prepare(
        `INSERT INTO neural_runs (id, network_id, network_type, dataset, dataset_id, config, status, retrain_of, created_at, total_epochs)
         VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)`,
      )
      .run(
        run.runId,
        run.networkId,
        run.networkType,
        JSON.stringify(run.dataset),
        run.datasetId,
        JSON.stringify(run.config),
        run.retrainOf ?? null,
        run.createdAt,
        run.config.epochs,
      );
  }

  deleteRun(runId: string): void {
    this.db.prepare('DELETE FROM neural_runs WHERE id = ?').run(runId);
  }

  markStarted(runId: string, at: number): void {
    this.db.prepare("UPDATE neural_runs SET status = 'running', started_at = ? WHERE id = ?").run(at, runId);
  }

  /** Buffers one epoch; the run row's latest figures are updated with the next flush. */
  addEpoch(runId: string, record: EpochRecord): void {
    this.pendingEpochs.push({ runId, record });
  }

  flush(): void {
    if (this.pendingEpochs.length === 0) return;
    const batch = this.pendingEpochs;
    this.pendingEpochs = [];
    const insert = this.db.prepare(
      `INSERT OR REPLACE INTO neural_run_epochs (run_id, epoch, train_loss, val_loss, val_accuracy, samples_per_second, epoch_ms, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const latest = this.db.prepare(
      `UPDATE neural_runs SET epochs_run = ?, train_loss = ?, val_loss = ?, val_accuracy = ?, samples_per_second = ?
       WHERE id = ? AND status IN ('queued', 'running')`,
    );
    this.db.transaction(() => {
      const last = new Map<string, EpochRecord>();
      for (const { runId, record: r } of batch) {
        insert.run(runId, r.epoch, r.trainLoss, r.valLoss, r.valAccuracy, r.samplesPerSecond, r.epochMs, r.at);
        last.set(runId, r);
      }
      for (const [runId, r] of last) latest.run(r.epoch, r.trainLoss, r.valLoss, r.valAccuracy, r.samplesPerSecond, runId);
    })();
  }

  /** Records how a run ended, and its model when it completed, in one transaction. */
  finishRun(runId: string, outcome: RunOutcome, model?: StoredModel): void {
    this.flush();
    this.db.transaction(() => {
      this.db
        .prepare(
          `UPDATE neural_runs SET status = ?, finished_at = ?, epochs_run = COALESCE(?, epochs_run), val_loss = COALESCE(?, val_loss),
             val_accuracy = COALESCE(?, val_accuracy), samples_per_second = COALESCE(?, samples_per_second), training_time = ?,
             best_epoch = ?, stopped_early = ?, message = ?
           WHERE id = ?`,
        )
        .run(
          outcome.status,
          outcome.finishedAt,
          outcome.epochsRun ?? null,
          outcome.valLoss ?? null,
          outcome.valAccuracy ?? null,
          outcome.samplesPerSecond ?? null,
          outcome.trainingTime ?? null,
          outcome.bestEpoch ?? null,
          outcome.stoppedEarly === undefined ? null : Number(outcome.stoppedEarly),
          outcome.message ?? null,
          runId,
        );
      if (model) {
        this.db
          .prepare(
            `INSERT INTO neural_models (id, network_id, network_type, dataset_id, baseline_accuracy, trained_at, weights)
             VALUES (?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(model.modelId, model.networkId, model.networkType, model.datasetId, model.baselineAccuracy, model.trainedAt, Buffer.from(model.weights));
      }
      this.prune();
    })();
  }

  /** Runs left queued or running by a crash can never finish: marks them interrupted, returning their ids. */
  interruptActive(at: number): string[] {
    const rows = this.db.prepare("SELECT id FROM neural_runs WHERE status IN ('queued', 'running')").all() as Row[];
    this.db.prepare("UPDATE neural_runs SET status = 'interrupted', finished_at = ?, message = 'the server stopped during this run' WHERE status IN ('queued', 'running')").run(at);
    return rows.map((r) => String(r.id));
  }

  getRun(runId: string): RunView | undefined {
    const row = this.db.prepare('SELECT * FROM neural_runs WHERE id = ?').get(runId) as Row | undefined;
    return row ? toRun(row) : undefined;
  }

  /** Newest first. */
  listRuns(limit = 100): RunView[] {
    return (this.db.prepare('SELECT * FROM neural_runs ORDER BY created_at DESC, rowid DESC LIMIT ?').all(limit) as Row[]).map(toRun);
  }

  /** The run's epochs in order, the ones not yet flushed included. */
  history(runId: string): EpochRecord[] {
    this.flush();
    return (this.db.prepare('SELECT * FROM neural_run_epochs WHERE run_id = ? ORDER BY epoch').all(runId) as Row[]).map((r) => ({
      epoch: num(r, 'epoch'),
      trainLoss: num(r, 'train_loss'),
      valLoss: num(r, 'val_loss'),
      valAccuracy: num(r, 'val_accuracy'),
      samplesPerSecond: num(r, 'samples_per_second'),
      epochMs: num(r, 'epoch_ms'),
      at: num(r, 'at'),
    }));
  }

  networks(): NetworkSummary[] {
    const rows = this.db
      .prepare(
        `SELECT network_id, COUNT(*) AS runs, MAX(created_at) AS last_run_at,
           (SELECT network_type FROM neural_runs r2 WHERE r2.network_id = r.network_id ORDER BY created_at DESC, rowid DESC LIMIT 1) AS network_type
         FROM neural_runs r GROUP BY network_id ORDER BY last_run_at DESC`,
      )
      .all() as Row[];
    return rows.map((r) => ({ networkId: String(r.network_id), networkType: String(r.network_type), runs: num(r, 'runs'), lastRunAt: num(r, 'last_run_at') }));
  }

  /** The newest model of each network. */
  latestModels(): StoredModel[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM neural_models m
         WHERE m.rowid = (SELECT m2.rowid FROM neural_models m2 WHERE m2.network_id = m.network_id ORDER BY trained_at DESC, rowid DESC LIMIT 1)`,
      )
      .all() as Row[];
    return rows.map(toModel);
  }

  private prune(): void {
    const { historyRuns, finishedRuns, modelsPerNetwork } = this.limits;
    this.db
      .prepare(
        `DELETE FROM neural_models WHERE rowid IN (
           SELECT rowid FROM (SELECT rowid, ROW_NUMBER() OVER (PARTITION BY network_id ORDER BY trained_at DESC, rowid DESC) AS n FROM neural_models)
           WHERE n > ?)`,
      )
      .run(modelsPerNetwork);
    this.db.prepare(`DELETE FROM neural_run_epochs WHERE run_id NOT IN (SELECT id FROM neural_runs ORDER BY created_at DESC, rowid DESC LIMIT ?)`).run(historyRuns);
    this.db
      .prepare(
        `DELETE FROM neural_runs WHERE status NOT IN ('queued', 'running') AND id NOT IN (SELECT id FROM neural_models)
           AND id NOT IN (SELECT id FROM neural_runs ORDER BY created_at DESC, rowid DESC LIMIT ?)`,
      )
      .run(finishedRuns);
  }
}
