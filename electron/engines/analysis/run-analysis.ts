import type { Worker } from 'node:worker_threads';
import { ProtocolError } from '../../../shared/protocol/errors';
import { MAX_ANALYSIS_INPUT_BYTES } from '../../../shared/protocol/commands';
import { startWorker } from '../workers';
import type { MeasuredFunction } from '../neural/datasets/code-features';
import type { AnalysisRequest, AnalysisResponse } from './analysis-worker-messages';
import type { AnalyzeOptions, CodeAnalysis, Finding } from './schema';

export { MAX_ANALYSIS_INPUT_BYTES } from '../../../shared/protocol/commands';
const DEFAULT_TIMEOUT_MS = 10_000;
/** Analyses waiting for the worker at once; more are refused rather than queued without bound. */
export const MAX_QUEUED_ANALYSES = 32;
const STARTUP_GRACE_MS = 5_000;

/** Scores (or filters) findings, e.g. with a trained model. */
export type ScoreFindings = (findings: Finding[]) => Finding[] | Promise<Finding[]>;

/** Grades an analysis from its functions' code-risk features, e.g. with a trained network. */
export interface FunctionGrader {
  /** Whether grading would do anything now; when false the features are not even measured. */
  canGrade(): boolean;
  grade(analysis: CodeAnalysis, functions: MeasuredFunction[]): CodeAnalysis;
}

export interface CodeAnalysisServiceOptions {
  /** How long one analysis may take before it fails with `unavailable` and its worker is replaced. Default 10 s. */
  timeoutMs?: number;
  /** Extra time for requests on a worker that has not answered yet: booting is not analysing. Default 5 s. */
  startupGraceMs?: number;
  /** Applied to every analysis's findings. Default: unchanged. */
  scoreFindings?: ScoreFindings;
  /** Applied before scoreFindings; the features are measured where the analysis runs (inline or on the worker). */
  grader?: FunctionGrader;
  /** Starts the worker thread; tests substitute their own. */
  createWorker?: () => Worker;
}

interface Pending {
  request: AnalysisRequest;
  resolve: (outcome: Measured) => void;
  reject: (error: Error) => void;
  timer?: NodeJS.Timeout;
}

type Measured = { result: CodeAnalysis; measured?: MeasuredFunction[] };

const unavailable = (message: string): ProtocolError => new ProtocolError('unavailable', message);
const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Runs every code analysis on one lazily started worker thread, whatever its size: a
 * tiny input can still send the parser into backtracking, and the event loop must stay
 * free. Each analysis has a hard time limit; the worker is reused, replaced after a
 * crash or timeout, and keeps the process alive only while work is in flight.
 */
export class CodeAnalysisService {
  private readonly timeoutMs: number;
  private readonly startupGraceMs: number;
  private readonly scoreFindings: ScoreFindings;
  private readonly grader: FunctionGrader | undefined;
  private readonly createWorker: () => Worker;
  private readonly pending = new Map<number, Pending>();
  private worker: Worker | undefined;
  /** Whether the current worker has answered once (its start-up is over). */
  private workerAnswered = false;
  private nextId = 1;
  private closed = false;

  constructor(options: CodeAnalysisServiceOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.startupGraceMs = options.startupGraceMs ?? STARTUP_GRACE_MS;
    this.scoreFindings = options.scoreFindings ?? ((findings) => findings);
    this.grader = options.grader;
    this.createWorker = options.createWorker ?? (() => startWorker('analysis', 'analysis'));
  }

  /**
   * Rejects with a ProtocolError: `invalid_argument` above MAX_ANALYSIS_INPUT_BYTES;
   * `unavailable` when the worker crashes or times out, too many analyses wait, or the service is closed.
   */
  async analyze(input: string, options: AnalyzeOptions = {}): Promise<CodeAnalysis> {
    if (this.closed) throw unavailable('the code analysis service is closed');
    const bytes = Buffer.byteLength(input, 'utf8');
    if (bytes > MAX_ANALYSIS_INPUT_BYTES) {
      const message = `input is ${bytes} bytes of UTF-8; code analysis accepts at most ${MAX_ANALYSIS_INPUT_BYTES} bytes (1 MB)`;
      throw new ProtocolError('invalid_argument', message, [{ path: 'input', message }]);
    }
    if (this.pending.size >= MAX_QUEUED_ANALYSES) {
      throw unavailable(`the code analysis service is busy with ${this.pending.size} analyses; try again shortly`);
    }
    const measure = this.grader?.canGrade() ?? false;
    const { result, measured } = await this.inWorker({ id: this.nextId++, input, options, measure });
    const analysis = measured && this.grader ? this.grader.grade(result, measured) : result;
    return { ...analysis, findings: await this.scoreFindings(analysis.findings) };
  }

  /** Terminates the worker and fails pending analyses; later calls fail with `unavailable`. */
  async close(): Promise<void> {
    this.closed = true;
    this.failPending(unavailable('the code analysis service is closed'));
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private inWorker(request: AnalysisRequest): Promise<Measured> {
    return new Promise((resolve, reject) => {
      const entry: Pending = { request, resolve, reject };
      this.pending.set(request.id, entry);
      this.send(entry);
    });
  }

  /** Posts to the worker and (re)starts the timeout, so a resent request gets its full time on the fresh worker. */
  private send(entry: Pending): void {
    let worker: Worker;
    try {
      worker = this.ensureWorker();
    } catch (error) {
      this.take(entry.request.id)?.reject(unavailable(`cannot start the code analysis worker: ${describe(error)}`));
      return;
    }
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => this.timedOut(entry.request.id), this.timeoutMs + (this.workerAnswered ? 0 : this.startupGraceMs));
    worker.ref();
    worker.postMessage(entry.request);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = this.createWorker();
    worker.unref();
    this.workerAnswered = false;
    worker.on('message', (response: AnalysisResponse) => {
      if (this.worker === worker) this.workerAnswered = true;
      this.settle(response);
    });
    worker.on('error', (error) => this.lost(worker, `the code analysis worker crashed: ${describe(error)}`));
    worker.on('exit', (code) => this.lost(worker, `the code analysis worker exited with code ${code}`));
    this.worker = worker;
    return worker;
  }

  private settle(response: AnalysisResponse): void {
    const entry = this.take(response.id);
    if (!entry) return; // Already timed out.
    if (response.ok) entry.resolve({ result: response.result, measured: response.measured });
    else entry.reject(new ProtocolError('internal', `code analysis failed: ${response.message}`));
  }

  /** Removes a pending analysis and its timer; once none is left the worker stops holding the process. */
  private take(id: number): Pending | undefined {
    const entry = this.pending.get(id);
    if (!entry) return undefined;
    this.pending.delete(id);
    clearTimeout(entry.timer);
    if (this.pending.size === 0) this.worker?.unref();
    return entry;
  }

  /** The worker died with whatever it held; the next analysis starts a new one. */
  private lost(worker: Worker, reason: string): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.failPending(unavailable(reason));
  }

  /**
   * The worker runs requests in order, so it is busy with this one: replace it and
   * resend the requests queued behind, which are not at fault.
   */
  private timedOut(id: number): void {
    this.take(id)?.reject(unavailable(`code analysis timed out after ${this.timeoutMs} ms`));
    const stuck = this.worker;
    this.worker = undefined;
    void stuck?.terminate();
    for (const entry of [...this.pending.values()]) this.send(entry);
  }

  private failPending(error: Error): void {
    for (const id of [...this.pending.keys()]) this.take(id)?.reject(error);
  }
}
