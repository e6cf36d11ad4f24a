import { ProtocolError } from '../../../shared/protocol/errors';
import { TrainingRunner, type RunRequest } from './trainer';

export interface RunQueueOptions {
  /** Runs training at once; each takes a worker thread flat out. */
  maxConcurrent?: number;
  /** Runs allowed to wait for a slot; beyond this, submissions are refused. */
  maxQueued?: number;
  createRunner?: (request: RunRequest) => TrainingRunner;
}

/** Bounds concurrent training runs and queues the rest, one run per network at a time. */
export class RunQueue {
  private concurrent: number;
  readonly maxQueued: number;
  private readonly running = new Map<string, TrainingRunner>();
  private readonly waiting: TrainingRunner[] = [];
  private readonly create: (request: RunRequest) => TrainingRunner;

  constructor(options: RunQueueOptions = {}) {
    this.concurrent = options.maxConcurrent ?? 2;
    this.maxQueued = options.maxQueued ?? 8;
    this.create = options.createRunner ?? ((request) => new TrainingRunner(request));
  }

  get maxConcurrent(): number {
    return this.concurrent;
  }

  /** A lower limit lets running runs finish; a higher one starts waiting runs at once. */
  setMaxConcurrent(limit: number): void {
    if (!(Number.isInteger(limit) && limit >= 1)) throw new RangeError('maxConcurrent must be an integer ≥ 1');
    this.concurrent = limit;
    this.pump();
  }

  /**
   * Queues a run and returns its runner, still 'queued': it starts on a later
   * microtask, so callbacks attached right after submit see every event.
   */
  submit(request: RunRequest): TrainingRunner {
    if (this.get(request.runId)) throw new ProtocolError('conflict', `run ${request.runId} already exists`);
    const busy = this.list().find((r) => r.networkId === request.networkId);
    if (busy) throw new ProtocolError('conflict', `network ${request.networkId} is already training (run ${busy.runId})`, { runId: busy.runId });
    if (this.running.size + this.waiting.length >= this.maxConcurrent + this.maxQueued) {
      throw new ProtocolError('rate_limited', `training queue is full: ${this.maxConcurrent} running and ${this.maxQueued} waiting`, {
        maxConcurrent: this.maxConcurrent,
        maxQueued: this.maxQueued,
      });
    }
    const runner = this.create(request);
    this.waiting.push(runner);
    void runner.done.then(() => {
      this.running.delete(runner.runId);
      const at = this.waiting.indexOf(runner);
      if (at >= 0) this.waiting.splice(at, 1);
      this.pump();
    });
    queueMicrotask(() => this.pump());
    return runner;
  }

  get(runId: string): TrainingRunner | undefined {
    return this.running.get(runId) ?? this.waiting.find((r) => r.runId === runId);
  }

  /** Running runs first, then waiting ones in queue order. */
  list(): TrainingRunner[] {
    return [...this.running.values(), ...this.waiting];
  }

  async stop(runId: string): Promise<TrainingRunner> {
    const runner = this.get(runId);
    if (!runner) throw new ProtocolError('not_found', `no active or queued run ${runId}`);
    await runner.stop();
    return runner;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.list().map((r) => r.stop()));
  }

  private pump(): void {
    while (this.running.size < this.concurrent) {
      const next = this.waiting.find((r) => r.status === 'queued');
      if (!next) return;
      this.waiting.splice(this.waiting.indexOf(next), 1);
      this.running.set(next.runId, next);
      next.start();
    }
  }
}
