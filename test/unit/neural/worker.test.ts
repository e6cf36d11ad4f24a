import { describe, expect, it } from 'vitest';
import { InferenceModel } from '../../../electron/engines/neural/inference';
import { RunQueue } from '../../../electron/engines/neural/run-queue';
import { TrainingRunner, type RunCompleted, type RunProgress, type RunRequest } from '../../../electron/engines/neural/trainer';

const createRunner = (r: RunRequest) => new TrainingRunner(r);

const request = (runId: string, overrides: Partial<RunRequest> = {}): RunRequest => ({
  runId,
  networkId: `net-${runId}`,
  dataset: 'iris',
  config: { epochs: 20, learningRate: 0.01, batchSize: 8, validation: 0.2, seed: 7 },
  ...overrides,
});

// Long enough that a stop always lands mid-run: ~400 batches of one spiral point per epoch.
const LONG = { epochs: 1000, learningRate: 0.001, batchSize: 1, validation: 0.2 };

describe('TrainingRunner (worker thread)', () => {
  it('posts progress every epoch with an ETA and completes with loadable weights', async () => {
    const runner = new TrainingRunner(request('r1'));
    const progress: RunProgress[] = [];
    let completed: RunCompleted | undefined;
    runner.onProgress((p) => progress.push(p));
    runner.onCompleted((c) => (completed = c));
    runner.start();
    expect(await runner.done).toBe('completed');
    expect(progress.map((p) => p.epoch)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(progress.every((p) => p.runId === 'r1' && p.networkId === 'net-r1' && p.etaMs >= 0)).toBe(true);
    expect(progress[progress.length - 1]!.etaMs).toBe(0);
    expect(completed).toMatchObject({ runId: 'r1', epochsRun: 20, stoppedEarly: false });
    expect(completed!.valAccuracy).toBeGreaterThan(0.9);
    const model = InferenceModel.fromBytes(completed!.weights);
    expect(model.predict([6.3, 3.3, 6.0, 2.5]).label).toBe('virginica');
  }, 20_000);

  it('stops mid-run gracefully', async () => {
    const runner = new TrainingRunner(request('r2', { dataset: 'two-spirals', config: LONG }));
    let stopped: { epochsRun: number; forced: boolean } | undefined;
    runner.onStopped((s) => (stopped = s));
    runner.onCompleted(() => expect.fail('should not complete'));
    const firstEpoch = new Promise<void>((resolve) => runner.onProgress(() => resolve()));
    runner.start();
    await firstEpoch;
    expect(await runner.stop()).toBe('stopped');
    expect(stopped?.forced).toBe(false);
    expect(stopped!.epochsRun).toBeGreaterThanOrEqual(1);
    expect(stopped!.epochsRun).toBeLessThan(1000);
  }, 20_000);

  it('reports a failure from the worker', async () => {
    const runner = new TrainingRunner(request('r3', { dataset: { csvPath: '/definitely/not/here.csv' } }));
    let failure: { message: string; code?: string } | undefined;
    runner.onFailed((f) => (failure = f));
    runner.start();
    expect(await runner.done).toBe('failed');
    expect(failure).toMatchObject({ code: 'not_found' });
    expect(failure!.message).toMatch(/not found/);
  }, 20_000);
});

describe('RunQueue', () => {
  it('bounds concurrent runs, queues the rest and refuses beyond the queue', async () => {
    const queue = new RunQueue({ maxConcurrent: 1, maxQueued: 1, createRunner });
    const a = queue.submit(request('q1', { dataset: 'two-spirals', config: LONG }));
    const b = queue.submit(request('q2'));
    expect(() => queue.submit(request('q3'))).toThrow(expect.objectContaining({ code: 'rate_limited' }));
    expect(() => queue.submit(request('q4', { networkId: 'net-q1' }))).toThrow(expect.objectContaining({ code: 'conflict' }));
    await new Promise((resolve) => setImmediate(resolve));
    expect([a.status, b.status]).toEqual(['running', 'queued']);

    await queue.stop('q1');
    expect(a.status).toBe('stopped');
    expect(await b.done).toBe('completed');
    expect(queue.list()).toEqual([]);
    await expect(queue.stop('q1')).rejects.toMatchObject({ code: 'not_found' });
  }, 30_000);

  it('stops a queued run without starting it', async () => {
    const queue = new RunQueue({ maxConcurrent: 1, maxQueued: 8, createRunner });
    const a = queue.submit(request('s1', { dataset: 'two-spirals', config: LONG }));
    const b = queue.submit(request('s2'));
    await queue.stop('s2');
    expect(b.status).toBe('stopped');
    await queue.stopAll();
    expect(a.status).toBe('stopped');
  }, 20_000);
});
