import { describe, expect, it } from 'vitest';
import { encodeArtifact } from '../../../electron/engines/neural/artifact';
import { parseTrainingConfig } from '../../../electron/engines/neural/config';
import { BUILTIN_DATASETS } from '../../../electron/engines/neural/datasets';
import { irisDataset } from '../../../electron/engines/neural/datasets/iris';
import { train, type EpochReport, type TrainingOutcome } from '../../../electron/engines/neural/train';

async function run(datasetId: string, config: object): Promise<{ outcome: TrainingOutcome; reports: EpochReport[] }> {
  const dataset = BUILTIN_DATASETS.find((d) => d.id === datasetId)!;
  const reports: EpochReport[] = [];
  const outcome = await train(dataset, parseTrainingConfig(config), { onEpoch: (r) => reports.push(r) });
  if (outcome.status !== 'completed') throw new Error('run did not complete');
  return { outcome, reports };
}

describe('train', () => {
  it.each([
    ['iris', { epochs: 15, learningRate: 0.01, batchSize: 16, validation: 0.2, seed: 1 }],
    ['code-analyzer', { epochs: 15, learningRate: 0.01, batchSize: 16, validation: 0.2, seed: 1 }],
    ['two-spirals', { epochs: 15, learningRate: 0.02, batchSize: 16, validation: 0.2, seed: 1 }],
  ])('training on %s reduces validation loss', async (id, config) => {
    const { reports } = await run(id, config);
    expect(reports).toHaveLength(15);
    const first = reports[0]!;
    const last = reports[reports.length - 1]!;
    expect(last.valLoss).toBeLessThan(first.valLoss * 0.8);
    expect(last.trainLoss).toBeLessThan(first.trainLoss);
    expect(reports.every((r) => r.samplesPerSecond > 0 && r.epochMs > 0 && r.totalEpochs === 15)).toBe(true);
  });

  it('reaches more than 90% validation accuracy on iris', async () => {
    const { outcome } = await run('iris', { epochs: 60, learningRate: 0.01, batchSize: 8, validation: 0.2, seed: 7 });
    expect(outcome.valAccuracy).toBeGreaterThan(0.9);
    expect(outcome.artifact.baselineAccuracy).toBe(outcome.valAccuracy);
    expect(outcome.samplesPerSecond).toBeGreaterThan(1000);
  });

  it('is bit-reproducible for a seed', async () => {
    const config = { epochs: 5, learningRate: 0.05, batchSize: 10, validation: 0.3, seed: 99 };
    const a = await run('iris', config);
    const b = await run('iris', config);
    expect(a.reports.map((r) => r.valLoss)).toEqual(b.reports.map((r) => r.valLoss));
    const bytes = (o: TrainingOutcome) => Buffer.from(encodeArtifact({ ...o.artifact, trainedAt: 0 }));
    expect(bytes(a.outcome).equals(bytes(b.outcome))).toBe(true);
  });

  it('stops early when validation loss stops improving and keeps the best weights', async () => {
    const { outcome, reports } = await run('iris', {
      epochs: 1000,
      learningRate: 0.05,
      batchSize: 4,
      validation: 0.3,
      seed: 5,
      earlyStopping: { patience: 5, minDelta: 0.001 },
    });
    expect(outcome.stoppedEarly).toBe(true);
    expect(outcome.epochsRun).toBeLessThan(1000);
    expect(outcome.epochsRun).toBe(reports.length);
    const best = reports[outcome.bestEpoch - 1]!;
    expect(outcome.valLoss).toBeCloseTo(best.valLoss, 12);
  });

  it('stops when asked between mini-batches, returning the best epoch so far as a checkpoint', async () => {
    const losses: number[] = [];
    const outcome = await train(irisDataset, parseTrainingConfig({ epochs: 100, learningRate: 0.01, batchSize: 4, validation: 0.2 }), {
      onEpoch: (r) => losses.push(r.valLoss),
      shouldStop: () => losses.length >= 3,
    });
    expect(outcome).toMatchObject({ status: 'stopped', epochsRun: 3 });
    const checkpoint = outcome.status === 'stopped' ? outcome.checkpoint : undefined;
    const best = losses.indexOf(Math.min(...losses));
    expect(checkpoint).toMatchObject({ bestEpoch: best + 1 });
    // The checkpoint's weights are that epoch's: measured again, the same validation loss.
    expect(checkpoint!.valLoss).toBeCloseTo(losses[best]!, 10);
    expect(checkpoint!.artifact.net.predict).toBeDefined();
  });

  it('a stop before the first epoch finished has no checkpoint', async () => {
    const outcome = await train(irisDataset, parseTrainingConfig({ epochs: 100, learningRate: 0.01, batchSize: 4, validation: 0.2 }), { shouldStop: () => true });
    expect(outcome).toEqual({ status: 'stopped', epochsRun: 0 });
  });
});
