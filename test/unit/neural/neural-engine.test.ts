import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CodeAnalysisService } from '../../../electron/engines/analysis/run-analysis';
import { EventBus } from '../../../electron/engines/bus';
import { ManualClock } from '../../../electron/engines/clock';
import { defaultsOf, staticSettings, type NeuralSettings } from '../../../electron/engines/config/schemas';
import type { EngineContext } from '../../../electron/engines/context';
import { irisDataset } from '../../../electron/engines/neural/datasets/iris';
import { NeuralEngine, type NeuralEngineOptions } from '../../../electron/engines/neural/neural-engine';
import { RunStore } from '../../../electron/engines/neural/run-store';
import { createRandom } from '../../../electron/engines/random';
import { type Db } from '../../../electron/store/database';
import { openAppDatabase } from '../../../electron/engines/migrations';
import { ProtocolError } from '../../../shared/protocol/errors';
import { EVENT_SCHEMAS, type ServerEventName } from '../../../shared/protocol/events';
import { IRIS, LONG, RISKY } from '../../helpers/neural-fixtures';

type Payload = Record<string, unknown>;

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  for (const end = Date.now() + ms; !cond();) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

let dir: string;
let engines: NeuralEngine[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zenflow-neural-'));
  engines = [];
});

afterEach(async () => {
  for (const e of engines) await e.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** An engine on a ManualClock whose published events are checked against the protocol and recorded. */
function setup(db: Db = openAppDatabase(join(dir, 'zenflow.db')), options: Partial<NeuralEngineOptions> & { neural?: Partial<NeuralSettings> } = {}) {
  const clock = new ManualClock();
  const bus = new EventBus(() => clock.now());
  const events: { event: ServerEventName; payload: Payload }[] = [];
  const waiters = new Set<() => void>();
  bus.subscribe((event, payload) => {
    const check = EVENT_SCHEMAS[event].safeParse(payload);
    if (!check.success) throw new Error(`${event} payload breaks the protocol: ${check.error.message}`);
    events.push({ event, payload: payload as Payload });
    for (const w of waiters) w();
  });
  const ctx: EngineContext = { bus, db, clock, realClock: clock, random: createRandom(1), log: pino({ level: 'silent' }) };
  const { neural, ...rest } = options;
  const engine = new NeuralEngine(ctx, { allowCsv: false, settings: staticSettings({ ...defaultsOf('neural'), ...neural }), ...rest });
  engines.push(engine);
  engine.start();
  const of = (name: ServerEventName) => events.filter((e) => e.event === name).map((e) => e.payload);
  /** Resolves with the first matching event, already published or still to come. */
  const waitFor = (name: ServerEventName, match: (p: Payload) => boolean = () => true, ms = 20_000) =>
    new Promise<Payload>((resolve, reject) => {
      const check = () => {
        const found = of(name).find(match);
        if (!found) return false;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no ${name} within ${ms} ms`));
      }, ms);
      if (!check()) waiters.add(check);
    });
  return { engine, db, clock, events, of, waitFor };
}

async function refusal(promise: Promise<unknown>): Promise<ProtocolError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProtocolError) return error;
    throw error;
  }
  throw new Error('accepted');
}

async function trainIris(t: ReturnType<typeof setup>, networkId = 'iris-net') {
  const { runId } = await t.engine.startTraining({ networkId, dataset: 'iris', config: IRIS });
  const completed = await t.waitFor('neural:training:completed', (p) => p.runId === runId);
  return { runId, completed };
}

describe('NeuralEngine', () => {
  it('persists the run before acking, reports every epoch and keeps its history', async () => {
    const t = setup();
    const ack = await t.engine.startTraining({ networkId: 'iris-net', dataset: 'iris', config: IRIS });
    // Committed: another connection to the same file sees the row as soon as the ack exists.
    const other = new Database(join(dir, 'zenflow.db'));
    const row = other.prepare('SELECT network_id, status FROM neural_runs WHERE id = ?').get(ack.runId) as Payload | undefined;
    other.close();
    expect(row).toMatchObject({ network_id: 'iris-net' });
    expect(['queued', 'running']).toContain(row!.status);
    expect(ack).toMatchObject({ networkId: 'iris-net', networkType: 'classification', dataset: 'iris' });

    const completed = await t.waitFor('neural:training:completed', (p) => p.runId === ack.runId);
    expect(t.of('neural:training:started')).toEqual([expect.objectContaining({ runId: ack.runId, networkId: 'iris-net', totalEpochs: 40 })]);
    const progress = t.of('neural:training:progress');
    expect(progress.map((p) => p.epoch)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    for (const p of progress) {
      expect(p).toMatchObject({ runId: ack.runId, networkId: 'iris-net', networkType: 'classification', totalEpochs: 40 });
      for (const field of ['currentLoss', 'currentAccuracy', 'trainLoss', 'samplesPerSecond', 'estimatedTimeRemaining']) expect(typeof p[field]).toBe('number');
      expect(p.currentAccuracy as number).toBeGreaterThanOrEqual(0);
      expect(p.currentAccuracy as number).toBeLessThanOrEqual(100);
      expect(p.samplesPerSecond as number).toBeGreaterThan(0);
    }
    expect(progress.at(-1)!.currentLoss as number).toBeLessThan(progress[0]!.currentLoss as number);
    expect(progress.at(-1)!.estimatedTimeRemaining).toBe(0);
    expect(completed).toMatchObject({ networkId: 'iris-net', epochs: 40, stoppedEarly: false, modelId: ack.runId });
    expect(completed.finalAccuracy as number).toBeGreaterThan(85);
    expect(completed.trainingTime as number).toBeGreaterThan(0);

    const run = t.engine.getRun(ack.runId);
    expect(run).toMatchObject({ status: 'completed', epoch: 40, finalAccuracy: completed.finalAccuracy, config: { ...IRIS } });
    expect(run.history.map((h) => h.epoch)).toEqual(progress.map((p) => p.epoch));
    expect(run.history[5]!.valLoss).toBe(progress[5]!.currentLoss);

    const listed = await t.engine.list();
    expect(listed.networks).toEqual([
      expect.objectContaining({ id: 'iris-net', type: 'classification', status: 'ready', runs: 1, modelId: ack.runId, accuracy: completed.finalAccuracy }),
    ]);
    expect(listed.runs.map((r) => r.runId)).toEqual([ack.runId]);
    expect(listed.datasets.map((d) => d.id)).toEqual(['iris', 'code-analyzer', 'two-spirals']);
    expect(listed.datasets.every((d) => d.samples > 0)).toBe(true);
  }, 30_000);

  it('stops a run mid-way; stopping again conflicts, unknown runs are not found', async () => {
    const t = setup();
    const { runId } = await t.engine.startTraining({ networkId: 'spiral', dataset: 'two-spirals', config: LONG });
    await t.waitFor('neural:training:progress', (p) => p.runId === runId);
    const stopped = await t.engine.stopTraining(runId);
    expect(stopped).toMatchObject({ runId, status: 'stopped' });
    expect(stopped.epoch).toBeGreaterThanOrEqual(1);
    expect(stopped.epoch).toBeLessThan(1000);
    expect(t.of('neural:training:stopped')).toEqual([expect.objectContaining({ runId, networkId: 'spiral', forced: false })]);
    expect(t.of('neural:training:completed')).toEqual([]);
    expect((await refusal(t.engine.stopTraining(runId))).code).toBe('conflict');
    expect((await refusal(t.engine.stopTraining('run-nope'))).code).toBe('not_found');
    // The best epoch so far became the network's model instead of leaving it untrained.
    const [event] = t.of('neural:training:stopped') as [{ checkpoint: { bestEpoch: number; accuracy: number; adopted: boolean }; modelId: string }];
    expect(event).toMatchObject({ modelId: runId, checkpoint: { adopted: true } });
    expect(event.checkpoint.bestEpoch).toBeGreaterThanOrEqual(1);
    expect(event.checkpoint.bestEpoch).toBeLessThanOrEqual(stopped.epoch);
    expect((await t.engine.list()).networks).toEqual([expect.objectContaining({ id: 'spiral', status: 'ready', modelId: runId, accuracy: event.checkpoint.accuracy })]);
    expect(t.engine.recordOutcome('spiral', [0.5, -0.5], 0).prediction.label).toEqual(expect.any(String));
  }, 30_000);

  it('a stopped run on the same dataset keeps a better model, and a run stopped at once leaves the model alone', async () => {
    const t = setup();
    const { runId: good } = await t.engine.startTraining({ networkId: 'iris-net', dataset: 'iris', config: IRIS });
    const completed = await t.waitFor('neural:training:completed', (p) => p.runId === good);
    await until(() => t.engine.stats().trainingRuns === 0);
    // A run that cannot learn (no steps to speak of) stopped after an epoch: its checkpoint is worse.
    const { runId: poor } = await t.engine.startTraining({ networkId: 'iris-net', dataset: 'iris', config: { ...IRIS, epochs: 1000, learningRate: 1e-6, batchSize: 1 } });
    await t.waitFor('neural:training:progress', (p) => p.runId === poor);
    await t.engine.stopTraining(poor);
    await until(() => t.engine.stats().trainingRuns === 0);
    expect(t.of('neural:training:stopped')).toEqual([
      expect.objectContaining({ runId: poor, checkpoint: expect.objectContaining({ adopted: false, reason: expect.stringMatching(/more accurate/) }) }),
    ]);
    expect((await t.engine.list()).networks).toEqual([expect.objectContaining({ id: 'iris-net', status: 'ready', modelId: good, accuracy: completed.finalAccuracy })]);

    const { runId: early } = await t.engine.startTraining({ networkId: 'iris-net', dataset: 'iris', config: LONG });
    await t.engine.stopTraining(early);
    // Stopped at once: before its first epoch (no checkpoint) or, on a fast machine, with one epoch that cannot beat the completed model.
    const stoppedEarly = t.of('neural:training:stopped').find((p) => p.runId === early) as { checkpoint?: { adopted: boolean } } | undefined;
    expect(stoppedEarly?.checkpoint?.adopted ?? false).toBe(false);
    expect((await t.engine.list()).networks).toEqual([expect.objectContaining({ modelId: good })]);
  }, 30_000);

  it('refuses unknown datasets, CSV outside the desktop app, bad configs and a second run of a busy network', async () => {
    const t = setup();
    const unknown = await refusal(t.engine.startTraining({ networkId: 'n', dataset: 'enterprise-codebases', config: IRIS }));
    expect(unknown.code).toBe('invalid_argument');
    expect(unknown.message).toMatch(/allowed: iris, code-analyzer, two-spirals$/);
    expect(unknown.details).toEqual([{ path: 'dataset', message: expect.stringContaining('iris') }]);

    const csv = await refusal(t.engine.startTraining({ networkId: 'n', dataset: { csvPath: '/tmp/x.csv' }, config: IRIS }));
    expect(csv).toMatchObject({ code: 'forbidden', message: 'CSV datasets are only available in the desktop app' });

    const config = await refusal(t.engine.startTraining({ networkId: 'n', dataset: 'iris', config: { ...IRIS, epochs: 0, learningRate: 2 } }));
    expect(config.code).toBe('invalid_argument');
    expect((config.details as { path: string }[]).map((d) => d.path)).toEqual(['epochs', 'learningRate']);

    const { runId } = await t.engine.startTraining({ networkId: 'busy', dataset: 'two-spirals', config: LONG });
    const busy = await refusal(t.engine.startTraining({ networkId: 'busy', dataset: 'iris', config: IRIS }));
    expect(busy).toMatchObject({ code: 'conflict', details: { runId } });
    // Refused starts leave nothing behind.
    expect((await t.engine.list()).runs.map((r) => r.runId)).toEqual([runId]);
    await t.engine.stopTraining(runId);
  }, 30_000);

  it('accepts a CSV dataset in the desktop app, by absolute path only', async () => {
    const t = setup(undefined, { allowCsv: true });
    const relative = await refusal(t.engine.startTraining({ networkId: 'n', dataset: { csvPath: 'data.csv' }, config: IRIS }));
    expect(relative).toMatchObject({ code: 'invalid_argument', details: [{ path: 'dataset.csvPath', message: 'an absolute path' }] });
    const missing = await refusal(t.engine.startTraining({ networkId: 'n', dataset: { csvPath: join(dir, 'missing.csv') }, config: IRIS }));
    expect(missing.code).toBe('not_found');
  });

  it('reloads trained weights after a restart and marks runs cut short as interrupted', async () => {
    const file = join(dir, 'zenflow.db');
    const first = setup(openAppDatabase(file));
    const { runId } = await trainIris(first);
    const samples = [
      [5.1, 3.5, 1.4, 0.2],
      [6.0, 2.7, 5.1, 1.6],
      [6.3, 3.3, 6.0, 2.5],
    ];
    const before = samples.map((s) => first.engine.recordOutcome('iris-net', s, 0).prediction);
    // A run the crash left running.
    new RunStore(first.db).insertRun({
      runId: 'run-crashed',
      networkId: 'other',
      networkType: 'classification',
      dataset: 'iris',
      datasetId: 'iris',
      config: { ...IRIS },
      createdAt: 1,
    });
    await first.engine.stop();
    engines = [];
    first.db.close();

    const second = setup(openAppDatabase(file));
    const listed = await second.engine.list();
    expect(listed.networks.find((n) => n.id === 'iris-net')).toMatchObject({ status: 'ready', modelId: runId });
    const after = samples.map((s) => second.engine.recordOutcome('iris-net', s, 0).prediction);
    expect(after.map((p) => [p.label, p.probabilities])).toEqual(before.map((p) => [p.label, p.probabilities]));
    expect(second.engine.getRun('run-crashed')).toMatchObject({ status: 'interrupted', message: expect.stringMatching(/server stopped/) });
    expect(second.engine.stats()).toEqual({ activeNetworks: 1, trainingRuns: 0 });
    second.db.close();
  }, 30_000);

  it('fires drift warning then critical on a shifted distribution, and can retrain automatically', async () => {
    const t = setup(undefined, { neural: { driftWarningGap: 5, driftCriticalGap: 15, autoRetrain: true } });
    const { runId, completed } = await trainIris(t);
    const { x, y } = irisDataset.load();
    const classes = irisDataset.classes;
    // In distribution: accuracy near the baseline, nothing to report.
    for (let i = 0; i < x.length; i += 2) t.engine.recordOutcome('iris-net', x[i]!, classes[y[i]!]!);
    expect(t.of('neural:accuracy:drift')).toEqual([]);
    // Shifted: petals measured in a different unit, labels unchanged.
    for (let i = 0; i < x.length && t.of('neural:accuracy:drift').length < 2; i++) {
      const [sl, sw, pl, pw] = x[i]!;
      t.engine.recordOutcome('iris-net', [sl!, sw!, pl! * 2.5, pw! * 2.5], y[i]!);
    }
    const drift = t.of('neural:accuracy:drift');
    expect(drift.map((d) => d.severity)).toEqual(['warning', 'critical']);
    expect(drift[0]).toMatchObject({ modelId: runId, networkId: 'iris-net', baselineAccuracy: completed.finalAccuracy });
    expect((drift[0]!.baselineAccuracy as number) - (drift[0]!.currentAccuracy as number)).toBeGreaterThanOrEqual(5);
    expect((drift[1]!.baselineAccuracy as number) - (drift[1]!.currentAccuracy as number)).toBeGreaterThanOrEqual(15);
    expect(drift[1]!.samples as number).toBeGreaterThan(30);

    // autoRetrain: the critical drift started a new run of the same network with the same config.
    const retrain = await t.waitFor('neural:training:started', (p) => p.runId !== runId);
    expect(retrain).toMatchObject({ networkId: 'iris-net', dataset: 'iris' });
    expect(t.engine.getRun(retrain.runId as string)).toMatchObject({ retrainOf: runId, config: { ...IRIS } });
    await t.waitFor('neural:training:completed', (p) => p.runId === retrain.runId);
  }, 40_000);

  it('grades code with the trained code-analyzer network and measures every inference', async () => {
    const t = setup();
    expect(t.engine.scoreCode(RISKY, 'risky.js')).toBeNull();
    t.clock.advance(10_000);
    expect(t.of('neural:inference:metrics')).toEqual([]); // nothing loaded yet

    const { runId } = await t.engine.startTraining({
      networkId: 'code-analyzer-v2',
      dataset: 'code-analyzer',
      config: { epochs: 40, learningRate: 0.01, batchSize: 16, validation: 0.2, seed: 3 },
    });
    await t.waitFor('neural:training:completed', (p) => p.runId === runId);
    expect(t.of('neural:training:started')[0]).toMatchObject({ networkType: 'code-analysis' });

    const [risky] = t.engine.scoreCode(RISKY, 'risky.js')!;
    expect(risky).toMatchObject({ name: 'run', risk: 'high', ruleRisk: 'high' });

    const service = new CodeAnalysisService({ grader: t.engine });
    const analysis = await service.analyze(RISKY, { filename: 'risky.js' });
    expect(analysis.functions[0]).toMatchObject({ name: 'run', risk: { level: 'high', modelId: runId } });
    const scored = analysis.findings.filter((f) => f.rule === 'no-eval' || f.rule === 'empty-catch');
    expect(scored.length).toBe(2);
    for (const f of scored) expect(f.score).toBeGreaterThan(0.5);

    // Large input: analysed and measured on the worker; class members matched by name.
    const members = Array.from({ length: 80 }, (_, i) => RISKY.replace('function run', `run${i}`)).join('\n');
    const source = `class Rules {\n${members}\n}\n`;
    expect(Buffer.byteLength(source)).toBeGreaterThan(20_000);
    const large = await service.analyze(source, { filename: 'rules.js' });
    await service.close();
    expect(large.functions).toHaveLength(80);
    expect(large.functions.every((fn, i) => fn.name === `Rules.run${i}` && fn.risk?.level === 'high')).toBe(true);

    t.clock.advance(10_000);
    const [metrics] = t.of('neural:inference:metrics');
    expect(metrics).toMatchObject({ wasmEnabled: false, activeNetworks: 1, totalInferences: 82 });
    expect(metrics!.avgInferenceTime as number).toBeGreaterThan(0);
    expect(metrics!.inferencesPerSecond).toBeCloseTo(82 / 10, 5);
  }, 30_000);
});
