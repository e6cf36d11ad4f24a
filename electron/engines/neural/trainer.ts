import type { Worker } from 'node:worker_threads';
import { ProtocolError } from '../../../shared/protocol/errors';
import { startWorker } from '../workers';
import type { TrainingConfigInput } from './config';
import type { DatasetRef } from './datasets/dataset-types';
import type { WorkerCommand, WorkerEvent } from './training-worker-messages';

export type RunStatus = 'queued' | 'running' | 'completed' | 'stopped' | 'failed';

export interface RunRequest {
  runId: string;
  networkId: string;
  dataset: DatasetRef;
  config: TrainingConfigInput;
}

type ProgressEvent = Extract<WorkerEvent, { type: 'progress' }>;
type CompletedEvent = Extract<WorkerEvent, { type: 'completed' }>;

export type RunProgress = Omit<ProgressEvent, 'type'> & {
  /** Moving average of recent epoch times × epochs left; an upper bound when early stopping ends the run sooner. */
  etaMs: number;
};
export type RunCompleted = Omit<CompletedEvent, 'type' | 'weights'> & { weights: Uint8Array };
export type RunStarted = { runId: string; networkId: string; startedAt: number };
export type RunStopped = {
  runId: string;
  networkId: string;
  epochsRun: number;
  forced: boolean;
  /** The best epoch so far (encoded artifact, validation measures); absent when no epoch finished or the worker was cut off. */
  checkpoint?: { weights: Uint8Array; bestEpoch: number; valLoss: number; valAccuracy: number };
};
export type RunFailed = { runId: string; networkId: string; message: string; code?: string };

export interface RunnerOptions {
  /**
   * After a stop request, how long the worker gets to answer before it is terminated
   * (default 5 s: a worker still booting or loading its dataset cannot answer sooner).
   */
  stopTimeoutMs?: number;
  /** Number of recent epochs the ETA averages. */
  etaWindow?: number;
}

type Listener<T> = (value: T) => void;

interface RunEvents {
  started: RunStarted;
  progress: RunProgress;
  completed: RunCompleted;
  stopped: RunStopped;
  failed: RunFailed;
}

/** Estimates time left from measured epoch durations: moving average × remaining epochs. */
export class EtaEstimator {
  private readonly recent: number[] = [];

  constructor(private readonly window = 5) {}

  add(epochMs: number): void {
    this.recent.push(epochMs);
    if (this.recent.length > this.window) this.recent.shift();
  }

  remainingMs(epochsLeft: number): number {
    if (this.recent.length === 0) return 0;
    const mean = this.recent.reduce((a, b) => a + b, 0) / this.recent.length;
    return Math.round(mean * Math.max(0, epochsLeft));
  }
}

/** One training run in its own worker thread, observed through callbacks. */
export class TrainingRunner {
  readonly runId: string;
  readonly networkId: string;
  private state: RunStatus = 'queued';
  private worker: Worker | undefined;
  private progress: RunProgress | undefined;
  private startedAt: number | undefined;
  private readonly eta: EtaEstimator;
  private readonly listeners: { [K in keyof RunEvents]: Set<Listener<RunEvents[K]>> } = {
    started: new Set(),
    progress: new Set(),
    completed: new Set(),
    stopped: new Set(),
    failed: new Set(),
  };
  private settle!: (status: RunStatus) => void;
  /** Resolves with the final status once the run has ended, however it ended. */
  readonly done: Promise<RunStatus> = new Promise((resolve) => (this.settle = resolve));

  constructor(
    readonly request: RunRequest,
    private readonly options: RunnerOptions = {},
  ) {
    this.runId = request.runId;
    this.networkId = request.networkId;
    this.eta = new EtaEstimator(options.etaWindow);
  }

  get status(): RunStatus {
    return this.state;
  }

  get lastProgress(): RunProgress | undefined {
    return this.progress;
  }

  get startedAtMs(): number | undefined {
    return this.startedAt;
  }

  /** When the run leaves the queue and its worker is being started. */
  onStarted(fn: Listener<RunStarted>): () => void {
    return this.listen('started', fn);
  }

  onProgress(fn: Listener<RunProgress>): () => void {
    return this.listen('progress', fn);
  }

  onCompleted(fn: Listener<RunCompleted>): () => void {
    return this.listen('completed', fn);
  }

  onStopped(fn: Listener<RunStopped>): () => void {
    return this.listen('stopped', fn);
  }

  onFailed(fn: Listener<RunFailed>): () => void {
    return this.listen('failed', fn);
  }

  start(): void {
    if (this.state !== 'queued') throw new ProtocolError('conflict', `run ${this.runId} is ${this.state}`);
    this.state = 'running';
    this.startedAt = Date.now();
    this.emit('started', { runId: this.runId, networkId: this.networkId, startedAt: this.startedAt });
    let worker: Worker;
    try {
      worker = startWorker('neural', 'training');
    } catch (error) {
      this.fail(error instanceof Error ? error.message : String(error));
      return;
    }
    this.worker = worker;
    worker.on('message', (event: WorkerEvent) => this.handle(event));
    worker.on('error', (error: unknown) => this.fail(`training worker crashed: ${error instanceof Error ? error.message : String(error)}`));
    worker.on('exit', (code) => {
      if (this.state === 'running') this.fail(`training worker exited (code ${code}) without a result`);
    });
    const { runId, networkId, dataset, config } = this.request;
    worker.postMessage({ type: 'start', runId, networkId, dataset, config } satisfies WorkerCommand);
  }

  /** Asks the worker to stop after its current mini-batch; terminates it if it does not answer in time. */
  async stop(): Promise<RunStatus> {
    if (this.state === 'queued') {
      this.finish('stopped', () => this.emit('stopped', { runId: this.runId, networkId: this.networkId, epochsRun: 0, forced: false }));
      return this.done;
    }
    if (this.state !== 'running' || !this.worker) return this.done;
    const worker = this.worker;
    worker.postMessage({ type: 'stop' } satisfies WorkerCommand);
    const timer = setTimeout(() => {
      if (this.state !== 'running') return;
      this.finish('stopped', () => this.emit('stopped', { runId: this.runId, networkId: this.networkId, epochsRun: this.progress?.epoch ?? 0, forced: true }));
      void worker.terminate();
    }, this.options.stopTimeoutMs ?? 5000);
    timer.unref();
    const status = await this.done;
    clearTimeout(timer);
    return status;
  }

  private handle(event: WorkerEvent): void {
    if (this.state !== 'running') return;
    switch (event.type) {
      case 'progress': {
        this.eta.add(event.epochMs);
        const { runId, networkId, epoch, totalEpochs, trainLoss, valLoss, valAccuracy, samplesPerSecond, epochMs } = event;
        const etaMs = this.eta.remainingMs(totalEpochs - epoch);
        this.progress = { runId, networkId, epoch, totalEpochs, trainLoss, valLoss, valAccuracy, samplesPerSecond, epochMs, etaMs };
        this.emit('progress', this.progress);
        break;
      }
      case 'completed': {
        const { runId, networkId, epochsRun, totalEpochs, bestEpoch, stoppedEarly, valLoss, valAccuracy, trainingTimeMs, samplesPerSecond } = event;
        const result = { runId, networkId, epochsRun, totalEpochs, bestEpoch, stoppedEarly, valLoss, valAccuracy, trainingTimeMs, samplesPerSecond };
        this.finish('completed', () => this.emit('completed', { ...result, weights: new Uint8Array(event.weights) }));
        break;
      }
      case 'stopped': {
        const c = event.checkpoint;
        const checkpoint = c && { weights: new Uint8Array(c.weights), bestEpoch: c.bestEpoch, valLoss: c.valLoss, valAccuracy: c.valAccuracy };
        this.finish('stopped', () =>
          this.emit('stopped', { runId: this.runId, networkId: this.networkId, epochsRun: event.epochsRun, forced: false, ...(checkpoint ? { checkpoint } : {}) }),
        );
        break;
      }
      case 'failed':
        this.fail(event.message, event.code);
        break;
    }
  }

  private fail(message: string, code?: string): void {
    if (this.state !== 'running' && this.state !== 'queued') return;
    this.finish('failed', () => this.emit('failed', { runId: this.runId, networkId: this.networkId, message, ...(code ? { code } : {}) }));
    void this.worker?.terminate();
  }

  /** Moves to a terminal state once; later messages from the worker are ignored. */
  private finish(status: RunStatus, notify: () => void): void {
    this.state = status;
    notify();
    this.settle(status);
  }

  private listen<K extends keyof RunEvents>(kind: K, fn: Listener<RunEvents[K]>): () => void {
    const set: Set<Listener<RunEvents[K]>> = this.listeners[kind];
    set.add(fn);
    return () => set.delete(fn);
  }

  private emit<K extends keyof RunEvents>(kind: K, value: RunEvents[K]): void {
    const set: Set<Listener<RunEvents[K]>> = this.listeners[kind];
    for (const fn of set) fn(value);
  }
}
