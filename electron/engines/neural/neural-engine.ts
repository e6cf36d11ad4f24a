import { randomUUID } from 'node:crypto';
import type { CommandResult } from '../../../shared/protocol/results';
import { basename, isAbsolute } from 'node:path';
import type { CommandArgs } from '../../../shared/protocol/command-table';
import { ProtocolError } from '../../../shared/protocol/errors';
import type { CodeAnalysis } from '../analysis/schema';
import type { FunctionGrader } from '../analysis/run-analysis';
import { measureFunctions } from '../analysis/measure';
import type { TimerHandle } from '../clock';
import { defaultsOf, staticSettings, type NeuralSettings, type SettingsSource } from '../config/schemas';
import type { Engine, EngineContext } from '../context';
import { attachRisk } from './attach-risk';
import { gradeFunctions, type FunctionRisk } from './code-risk';
import { parseDatasetRef, parseTrainingConfig, type DatasetSummary } from './config';
import { DatasetCatalog } from './dataset-catalog';
import { BUILTIN_DATASET_IDS } from './datasets';
import { codeAnalyzerDataset } from './datasets/code-analyzer';
import type { MeasuredFunction } from './datasets/code-features';
import { checkCsvFile } from './datasets/csv';
import type { DatasetRef } from './datasets/dataset-types';
import type { DriftReport } from './drift';
import { InferenceStats, type Prediction } from './inference';
import { ModelRegistry, type LoadedModel } from './model-registry';
import { RunQueue } from './run-queue';
import { RunStore, type EpochRecord, type RunView } from './run-store';
import type { RunCompleted, RunFailed, RunProgress, RunStopped, TrainingRunner } from './trainer';
import type { NetworkView } from '../../../shared/protocol/results';

/** docs/protocol.md §9: `neural:inference:metrics` every 10 s while a network is loaded. */
const INFERENCE_METRICS_INTERVAL_MS = 10_000;
/** Epoch rows are group-committed this often (and whenever a run ends). */
const EPOCH_FLUSH_INTERVAL_MS = 5000;
const CSV_DESKTOP_ONLY = 'CSV datasets are only available in the desktop app';

export type StartTrainingInput = Omit<CommandArgs<'neural:training:start'>, 'config' | 'dataset'> & { dataset: unknown; config: unknown };

export interface NeuralEngineOptions {
  /** Whether `{ csvPath }` datasets (a file on this machine) are accepted: the desktop app only. */
  allowCsv: boolean;
  /** Concurrent runs; default and live changes from the `neural` settings' maxConcurrentRuns. */
  maxConcurrent?: number;
  /** Runs allowed to wait for a slot. */
  maxQueued?: number;
  /** maxConcurrentRuns, drift gaps and autoRetrain; defaults to the `neural` config defaults. */
  settings?: SettingsSource<NeuralSettings>;
  /** Publish `neural:inference:metrics` periodically (false for a quiet test server). */
  periodic?: boolean;
}

export type { NetworkView };

export interface OutcomeResult {
  prediction: Prediction;
  drift: Omit<DriftReport, 'changed'> | null;
}

const percent = (fraction: number): number => fraction * 100;
const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Real training on worker threads, persisted runs and models, inference with the
 * trained networks (the code-analysis task's risk grades among them), measured
 * inference metrics and accuracy-drift detection.
 */
export class NeuralEngine implements Engine, FunctionGrader {
  private readonly store: RunStore;
  private readonly queue: RunQueue;
  private readonly models: ModelRegistry;
  private readonly catalog = new DatasetCatalog();
  private readonly settings: SettingsSource<NeuralSettings>;
  private readonly timers: TimerHandle[] = [];
  private unsubscribe: (() => void) | undefined;
  /** Set while stopping: runs cut short by a shutdown end as 'interrupted', not 'stopped'. */
  private closing = false;

  constructor(
    private readonly ctx: EngineContext,
    private readonly options: NeuralEngineOptions,
  ) {
    this.settings = options.settings ?? staticSettings(defaultsOf('neural'));
    const settings = this.settings.get();
    this.store = new RunStore(ctx.db);
    this.queue = new RunQueue({ maxConcurrent: options.maxConcurrent ?? settings.maxConcurrentRuns, maxQueued: options.maxQueued });
    this.models = new ModelRegistry(new InferenceStats(INFERENCE_METRICS_INTERVAL_MS, () => ctx.realClock.now()), {
      warningGap: settings.driftWarningGap,
      criticalGap: settings.driftCriticalGap,
    });
  }

  start(): void {
    const interrupted = this.store.interruptActive(this.ctx.realClock.now());
    if (interrupted.length) this.ctx.log.warn({ runs: interrupted }, 'training runs cut short by the last shutdown marked interrupted');
    for (const stored of this.store.latestModels()) {
      try {
        this.models.load(stored);
      } catch (error) {
        this.ctx.log.error({ err: error, modelId: stored.modelId }, 'stored model could not be loaded');
      }
    }
    void this.catalog.preload();
    this.unsubscribe = this.settings.subscribe((s) => {
      this.models.setGaps({ warningGap: s.driftWarningGap, criticalGap: s.driftCriticalGap });
      if (this.options.maxConcurrent === undefined) this.queue.setMaxConcurrent(s.maxConcurrentRuns);
    });
    const clock = this.ctx.realClock;
    this.timers.push(clock.setInterval(() => this.flushEpochs(), EPOCH_FLUSH_INTERVAL_MS));
    if (this.options.periodic ?? true) this.timers.push(clock.setInterval(() => this.publishMetrics(), INFERENCE_METRICS_INTERVAL_MS));
  }

  async stop(): Promise<void> {
    this.closing = true;
    for (const t of this.timers.splice(0)) this.ctx.realClock.clearInterval(t);
    this.unsubscribe?.();
    await this.queue.stopAll();
    this.flushEpochs();
    await this.catalog.close();
  }

  /**
   * Validates, records the run durably, then queues it; resolves once the queue
   * has started it if a slot was free, so the status returned is the current one.
   */
  async startTraining(input: StartTrainingInput, retrainOf?: string): Promise<CommandResult<'neural:training:start'>> {
    const config = parseTrainingConfig(input.config);
    const dataset = parseDatasetRef(input.dataset);
    const datasetId = this.checkDataset(dataset);
    const runId = `run-${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const { networkId } = input;
    const networkType = input.networkType ?? (datasetId === codeAnalyzerDataset.id ? 'code-analysis' : 'classification');
    this.store.insertRun({ runId, networkId, networkType, dataset, datasetId, config, retrainOf, createdAt: this.ctx.realClock.now() });
    let runner: TrainingRunner;
    try {
      runner = this.queue.submit({ runId, networkId, dataset, config });
    } catch (error) {
      this.store.deleteRun(runId);
      throw error;
    }
    this.follow(runner, networkType, datasetId);
    await Promise.resolve();
    return { runId, networkId, status: runner.status, networkType, dataset: datasetId };
  }

  /** Stops an active or queued run; `not_found` for unknown runs, `conflict` for finished ones. */
  async stopTraining(runId: string): Promise<RunView> {
    if (this.queue.get(runId)) {
      await this.queue.stop(runId);
      return this.mustGetRun(runId);
    }
    const run = this.mustGetRun(runId);
    throw new ProtocolError('conflict', `run ${runId} has already ended (${run.status})`, { runId, status: run.status });
  }

  getRun(runId: string): RunView & { history: EpochRecord[] } {
    return { ...this.mustGetRun(runId), history: this.store.history(runId) };
  }

  async list(): Promise<{ networks: NetworkView[]; runs: RunView[]; datasets: DatasetSummary[] }> {
    this.flushEpochs();
    const active = new Map(this.queue.list().map((r) => [r.networkId, r.status]));
    const networks = this.store.networks().map((n): NetworkView => {
      const m = this.models.get(n.networkId);
      const running = active.get(n.networkId);
      const report = m?.lastReport;
      return {
        id: n.networkId,
        type: m?.networkType ?? n.networkType,
        status: running === 'running' ? 'training' : running === 'queued' ? 'queued' : m ? 'ready' : 'untrained',
        accuracy: m?.baselineAccuracy ?? null,
        trainedAt: m?.trainedAt ?? null,
        runs: n.runs,
        dataset: m?.datasetId ?? null,
        modelId: m?.modelId ?? null,
        drift: report ? { severity: report.severity, currentAccuracy: report.currentAccuracy, samples: report.samples } : null,
      };
    });
    return { networks, runs: this.store.listRuns(), datasets: await this.catalog.list() };
  }

  /** For the system status: loaded networks and runs holding or awaiting a worker. */
  stats(): { activeNetworks: number; trainingRuns: number } {
    return { activeNetworks: this.models.size, trainingRuns: this.queue.list().length };
  }

  /** FunctionGrader: whether a code-analyzer network is loaded to grade analyses with. */
  canGrade(): boolean {
    return this.models.codeModel() !== undefined;
  }

  /** FunctionGrader: the analysis with each function's risk grade and findings scored by it. */
  grade(analysis: CodeAnalysis, functions: MeasuredFunction[]): CodeAnalysis {
    const entry = this.models.codeModel();
    return entry ? attachRisk(analysis, this.gradeWith(entry, functions), entry.modelId) : analysis;
  }

  /** Grades each function of a source with the newest code-analyzer network; null when none is trained. */
  scoreCode(source: string, fileName = 'input.ts'): FunctionRisk[] | null {
    const entry = this.models.codeModel();
    return entry ? this.gradeWith(entry, measureFunctions(source, fileName)) : null;
  }

  /**
   * Classifies one labelled sample with a network's model and feeds the outcome to its
   * drift monitor. `actualLabel` is a class name or index.
   */
  recordOutcome(networkId: string, features: readonly number[] | Readonly<Record<string, number>>, actualLabel: string | number): OutcomeResult {
    const entry = this.models.get(networkId);
    if (!entry) throw new ProtocolError('not_found', `network ${networkId} has no trained model`, { networkId });
    const classes = entry.model.classes;
    const actual = typeof actualLabel === 'number' ? classes[actualLabel] : actualLabel;
    if (actual === undefined || !classes.includes(actual)) {
      throw new ProtocolError('invalid_argument', `label must be one of ${classes.join(', ')} or an index below ${classes.length}`, [
        { path: 'actualLabel', message: `allowed: ${classes.join(', ')}` },
      ]);
    }
    let prediction: Prediction;
    try {
      prediction = entry.model.predict(features);
    } catch (error) {
      throw new ProtocolError('invalid_argument', describe(error), [{ path: 'features', message: describe(error) }]);
    }
    this.observe(entry, prediction.label, actual);
    const report = entry.lastReport;
    return {
      prediction,
      drift: report
        ? { currentAccuracy: report.currentAccuracy, baselineAccuracy: report.baselineAccuracy, gap: report.gap, samples: report.samples, severity: report.severity }
        : null,
    };
  }

  private gradeWith(entry: LoadedModel, functions: readonly MeasuredFunction[]): FunctionRisk[] {
    const grades = gradeFunctions(entry.model, functions);
    // The documented rule labels every function for free: each grade is a labelled outcome.
    for (const g of grades) this.observe(entry, g.risk, g.ruleRisk);
    return grades;
  }

  private observe(entry: LoadedModel, predicted: string, actual: string): void {
    const report = this.models.observe(entry, predicted, actual);
    if (!report) return;
    const { modelId, networkId, networkType } = entry;
    const { currentAccuracy, baselineAccuracy, gap, samples, severity } = report;
    this.ctx.bus.publish('neural:accuracy:drift', { modelId, networkId, networkType, currentAccuracy, baselineAccuracy, gap, samples, severity });
    if (severity === 'critical' && this.settings.get().autoRetrain) this.retrain(entry);
  }

  /** Starts a new run of the drifting network with the config and dataset of the run that trained it. */
  private retrain(entry: LoadedModel): void {
    if (this.queue.list().some((r) => r.networkId === entry.networkId)) return;
    const previous = this.store.getRun(entry.modelId);
    if (!previous) return;
    const dataset: DatasetRef = previous.csvPath ? { csvPath: previous.csvPath } : previous.dataset;
    const input = { networkId: entry.networkId, networkType: entry.networkType, dataset, config: previous.config };
    this.startTraining(input, entry.modelId).then(
      ({ runId }) => this.ctx.log.info({ runId, networkId: entry.networkId, modelId: entry.modelId }, 'critical drift: retraining'),
      (error: unknown) => this.ctx.log.warn({ err: error, networkId: entry.networkId }, 'critical drift: retraining could not start'),
    );
  }

  /** A dataset's id for the run row; refuses unknown ids and, outside the desktop app, CSV paths. */
  private checkDataset(ref: DatasetRef): string {
    if (typeof ref === 'string') {
      if (BUILTIN_DATASET_IDS.includes(ref)) return ref;
      const allowed = `${BUILTIN_DATASET_IDS.join(', ')}${this.options.allowCsv ? ' or { csvPath }' : ''}`;
      throw new ProtocolError('invalid_argument', `unknown dataset "${ref}"; allowed: ${allowed}`, [{ path: 'dataset', message: `allowed: ${allowed}` }]);
    }
    if (!this.options.allowCsv) throw new ProtocolError('forbidden', CSV_DESKTOP_ONLY, { allowed: BUILTIN_DATASET_IDS });
    if (!isAbsolute(ref.csvPath)) {
      throw new ProtocolError('invalid_argument', 'csvPath must be an absolute path', [{ path: 'dataset.csvPath', message: 'an absolute path' }]);
    }
    checkCsvFile(ref.csvPath);
    return `csv:${basename(ref.csvPath)}`;
  }

  private follow(runner: TrainingRunner, networkType: string, datasetId: string): void {
    const { runId, networkId } = runner;
    const totalEpochs = runner.request.config.epochs;
    const guard =
      <T>(what: string, fn: (value: T) => void) =>
      (value: T): void => {
        // A listener error must not escape into the worker's message handler.
        try {
          fn(value);
        } catch (error) {
          this.ctx.log.error({ err: error, runId }, `neural run ${what} handling failed`);
        }
      };
    runner.onStarted(
      guard('start', ({ startedAt }) => {
        this.store.markStarted(runId, startedAt);
        this.ctx.bus.publish('neural:training:started', { runId, networkId, networkType, dataset: datasetId, totalEpochs, status: 'running', startedAt });
      }),
    );
    runner.onProgress(guard('progress', (p: RunProgress) => this.progressed(p, networkType)));
    runner.onCompleted(guard('completion', (c: RunCompleted) => this.completed(c, networkType, datasetId)));
    runner.onStopped(guard('stop', (s: RunStopped) => this.stopped(s, networkType, datasetId)));
    runner.onFailed(guard('failure', (f: RunFailed) => this.ended(f.runId, f.networkId, networkType, { message: f.message, code: f.code })));
  }

  private progressed(p: RunProgress, networkType: string): void {
    const now = this.ctx.realClock.now();
    const valAccuracy = percent(p.valAccuracy);
    this.store.addEpoch(p.runId, {
      epoch: p.epoch,
      trainLoss: p.trainLoss,
      valLoss: p.valLoss,
      valAccuracy,
      samplesPerSecond: p.samplesPerSecond,
      epochMs: p.epochMs,
      at: now,
    });
    this.ctx.bus.publish('neural:training:progress', {
      runId: p.runId,
      networkId: p.networkId,
      networkType,
      epoch: p.epoch,
      totalEpochs: p.totalEpochs,
      currentLoss: p.valLoss,
      currentAccuracy: valAccuracy,
      trainLoss: p.trainLoss,
      valLoss: p.valLoss,
      samplesPerSecond: p.samplesPerSecond,
      // Training runs in real time, unlike the simulated swarms: the ETA is wall-clock.
      estimatedTimeRemaining: p.etaMs,
      timeBase: 'wall',
      etaAt: now + p.etaMs,
    });
  }

  private completed(c: RunCompleted, networkType: string, datasetId: string): void {
    const finishedAt = this.ctx.realClock.now();
    const finalAccuracy = percent(c.valAccuracy);
    const model = { modelId: c.runId, networkId: c.networkId, networkType, datasetId, baselineAccuracy: finalAccuracy, trainedAt: finishedAt, weights: c.weights };
    this.store.finishRun(
      c.runId,
      {
        status: 'completed',
        finishedAt,
        epochsRun: c.epochsRun,
        valLoss: c.valLoss,
        valAccuracy: finalAccuracy,
        samplesPerSecond: c.samplesPerSecond,
        trainingTime: c.trainingTimeMs,
        bestEpoch: c.bestEpoch,
        stoppedEarly: c.stoppedEarly,
      },
      model,
    );
    this.models.load(model);
    this.ctx.bus.publish('neural:training:completed', {
      runId: c.runId,
      networkId: c.networkId,
      networkType,
      modelId: c.runId,
      finalAccuracy,
      finalLoss: c.valLoss,
      trainingTime: c.trainingTimeMs,
      epochs: c.epochsRun,
      totalEpochs: c.totalEpochs,
      bestEpoch: c.bestEpoch,
      stoppedEarly: c.stoppedEarly,
      samplesPerSecond: c.samplesPerSecond,
    });
  }

  private ended(runId: string, networkId: string, networkType: string, how: { message: string; code?: string }): void {
    const finishedAt = this.ctx.realClock.now();
    this.store.finishRun(runId, { status: 'failed', finishedAt, message: how.message });
    this.ctx.bus.publish('neural:training:failed', { runId, networkId, networkType, severity: 'warning', message: how.message, ...(how.code ? { code: how.code } : {}) });
  }

  /**
   * A run stopped on request keeps its best epoch: that checkpoint becomes the
   * network's model unless the network already has a better one for the same
   * dataset, or one for another dataset (never replaced without a completed run).
   */
  private stopped(s: RunStopped, networkType: string, datasetId: string): void {
    const { runId, networkId, epochsRun, forced } = s;
    const finishedAt = this.ctx.realClock.now();
    const status = this.closing ? 'interrupted' : 'stopped';
    const c = s.checkpoint;
    const accuracy = c ? percent(c.valAccuracy) : 0;
    const current = this.models.get(networkId);
    const keep = !c
      ? null
      : !current
        ? null
        : current.datasetId !== datasetId
          ? `the network's model was trained on ${current.datasetId}; a stopped run on ${datasetId} does not replace it`
          : current.baselineAccuracy > accuracy
            ? `the network's current model is more accurate (${current.baselineAccuracy.toFixed(1)} % against ${accuracy.toFixed(1)} %)`
            : null;
    const model = c && keep === null ? { modelId: runId, networkId, networkType, datasetId, baselineAccuracy: accuracy, trainedAt: finishedAt, weights: c.weights } : undefined;
    this.store.finishRun(
      runId,
      {
        status,
        finishedAt,
        epochsRun,
        ...(c ? { bestEpoch: c.bestEpoch, valLoss: c.valLoss, valAccuracy: accuracy } : {}),
        ...(this.closing ? { message: 'the server stopped during this run' } : {}),
      },
      model,
    );
    if (model) this.models.load(model);
    this.ctx.bus.publish('neural:training:stopped', {
      runId,
      networkId,
      networkType,
      epochsRun,
      forced,
      status,
      ...(c ? { checkpoint: { bestEpoch: c.bestEpoch, accuracy, loss: c.valLoss, adopted: model !== undefined, ...(keep ? { reason: keep } : {}) } } : {}),
      ...(model ? { modelId: runId } : {}),
    });
  }

  private flushEpochs(): void {
    try {
      this.store.flush();
    } catch (error) {
      this.ctx.log.error({ err: error }, 'training history could not be written');
    }
  }

  private publishMetrics(): void {
    if (this.models.size === 0) return;
    const m = this.models.stats.snapshot();
    this.ctx.bus.publish('neural:inference:metrics', {
      avgInferenceTime: m.avgInferenceTime,
      inferencesPerSecond: m.inferencesPerSecond,
      wasmEnabled: m.wasmEnabled,
      activeNetworks: m.activeNetworks,
      totalInferences: m.totalInferences,
      networks: this.models.all().map((e) => e.networkId),
    });
  }

  private mustGetRun(runId: string): RunView {
    const run = this.store.getRun(runId);
    if (!run) throw new ProtocolError('not_found', `no training run ${runId}`, { runId });
    return run;
  }
}
