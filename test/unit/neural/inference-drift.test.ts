import { describe, expect, it } from 'vitest';
import { encodeArtifact } from '../../../electron/engines/neural/artifact';
import { parseTrainingConfig } from '../../../electron/engines/neural/config';
import { irisDataset } from '../../../electron/engines/neural/datasets/iris';
import { DriftMonitor } from '../../../electron/engines/neural/drift';
import { InferenceModel, InferenceStats } from '../../../electron/engines/neural/inference';
import { train } from '../../../electron/engines/neural/train';

async function irisModel(stats?: InferenceStats): Promise<InferenceModel> {
  const outcome = await train(irisDataset, parseTrainingConfig({ epochs: 60, learningRate: 0.01, batchSize: 8, validation: 0.2, seed: 7 }));
  if (outcome.status !== 'completed') throw new Error('training stopped');
  // Through the persisted bytes, as the server loads weights after a restart.
  return InferenceModel.fromBytes(encodeArtifact(outcome.artifact), stats);
}

describe('InferenceModel', () => {
  it('classifies raw rows with the stored standardization and measures each call', async () => {
    const stats = new InferenceStats();
    stats.register('iris-net');
    const model = await irisModel(stats);
    const setosa = model.predict([5.1, 3.5, 1.4, 0.2]);
    expect(setosa.label).toBe('setosa');
    expect(setosa.confidence).toBeGreaterThan(0.8);
    expect(setosa.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    const named = model.predict({ sepal_length: 5.9, sepal_width: 3.0, petal_length: 5.1, petal_width: 1.8 });
    expect(named.label).toBe('virginica');
    expect(() => model.predict({ sepal_length: 1 })).toThrow(/sepal_width/);
    const metrics = stats.snapshot();
    expect(metrics).toMatchObject({ wasmEnabled: false, activeNetworks: 1, totalInferences: 2 });
    expect(metrics.avgInferenceTime).toBeGreaterThan(0);
    expect(metrics.inferencesPerSecond).toBeGreaterThan(0);
  });
});

describe('InferenceStats', () => {
  it('averages over a sliding window', () => {
    let now = 0;
    const stats = new InferenceStats(10_000, () => now);
    stats.record(2);
    now = 5_000;
    stats.record(4);
    expect(stats.snapshot()).toMatchObject({ avgInferenceTime: 3, inferencesPerSecond: 2 / 5 });
    now = 12_000;
    expect(stats.snapshot()).toMatchObject({ avgInferenceTime: 4, inferencesPerSecond: 1 / 10, totalInferences: 2 });
  });
});

describe('DriftMonitor', () => {
  it('waits for enough samples, then grades the accuracy gap', () => {
    const monitor = new DriftMonitor({ baselineAccuracy: 95, windowSize: 100, minSamples: 20 });
    for (let i = 0; i < 19; i++) expect(monitor.record(1, 1)).toBeUndefined();
    expect(monitor.record(1, 1)).toMatchObject({ severity: 'info', currentAccuracy: 100, changed: true });
    expect(monitor.record(1, 1)?.changed).toBe(false);
    monitor.reset();
    for (let i = 0; i < 100; i++) monitor.record(i % 10 === 0 ? 0 : 1, 1); // 90%
    expect(monitor.evaluate()).toMatchObject({ severity: 'warning', currentAccuracy: 90, gap: 5 });
    for (let i = 0; i < 100; i++) monitor.record(i % 5 === 0 ? 0 : 1, 1); // 80%
    expect(monitor.evaluate()).toMatchObject({ severity: 'critical', currentAccuracy: 80, samples: 100 });
  });

  it('fires on a shifted distribution of real iris samples', async () => {
    const model = await irisModel();
    const baseline = model.artifact.baselineAccuracy * 100;
    const { x, y } = irisDataset.load();
    const std = model.artifact.standardization.std;

    const healthy = new DriftMonitor({ baselineAccuracy: baseline });
    let report;
    for (let i = 0; i < x.length; i++) report = healthy.record(model.predict(x[i]!).classIndex, y[i]!);
    expect(report?.severity).toBe('info');

    // Petal length drifts up by 3 standard deviations (say, a miscalibrated instrument).
    const drifted = new DriftMonitor({ baselineAccuracy: baseline });
    for (let i = 0; i < x.length; i++) {
      const row = x[i]!.map((v, f) => (f === 2 ? v + 3 * std[2]! : v));
      report = drifted.record(model.predict(row).classIndex, y[i]!);
    }
    expect(report!.currentAccuracy).toBeLessThan(baseline - 15);
    expect(report!.severity).toBe('critical');
  });
});
