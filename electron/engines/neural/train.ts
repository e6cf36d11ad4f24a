import { performance } from 'node:perf_hooks';
import { createRandom } from '../random';
import type { ModelArtifact } from './artifact';
import type { TrainingConfig } from './config';
import type { Dataset } from './datasets/dataset-types';
import { Adam, Mlp, Sgd } from './mlp';
import { shuffle, stratifiedSplit } from './split';
import { fitStandardization, standardize } from './standardize';

export interface EpochReport {
  epoch: number;
  totalEpochs: number;
  trainLoss: number;
  valLoss: number;
  /** 0–1 */
  valAccuracy: number;
  /** Training samples per second of the epoch's gradient pass. */
  samplesPerSecond: number;
  /** Wall time of the epoch, validation included; what an ETA should extrapolate. */
  epochMs: number;
}

export interface TrainingOutcome {
  status: 'completed';
  artifact: ModelArtifact;
  epochsRun: number;
  totalEpochs: number;
  bestEpoch: number;
  stoppedEarly: boolean;
  /** Validation loss and accuracy (0–1) of the weights in `artifact`. */
  valLoss: number;
  valAccuracy: number;
  trainingTimeMs: number;
  /** Training samples per second over all gradient passes. */
  samplesPerSecond: number;
}

/** A run stopped on request: its best epoch so far, when one finished, restored and measured. */
export interface TrainingStopped {
  status: 'stopped';
  epochsRun: number;
  checkpoint?: { artifact: ModelArtifact; bestEpoch: number; valLoss: number; valAccuracy: number };
}

export interface TrainingHooks {
  onEpoch?(report: EpochReport): void;
  /** Polled between mini-batches; returning true ends the run as 'stopped'. */
  shouldStop?(): boolean;
}

/** How long training computes before yielding to the event loop so a stop request can arrive. */
const YIELD_EVERY_MS = 25;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Trains a fresh network on a dataset: stratified split, standardization fitted
 * on the training rows, shuffled mini-batches, one report per epoch, optional
 * early stopping on validation loss (restoring the best epoch's weights). A
 * stop request ends it with the best epoch's weights as a checkpoint, so the
 * work done so far is not lost. Everything random derives from `config.seed`, so a seed reproduces a run exactly.
 */
export async function train(dataset: Dataset, config: TrainingConfig, hooks: TrainingHooks = {}): Promise<TrainingOutcome | TrainingStopped> {
  const started = performance.now();
  const random = createRandom(config.seed ?? 1);
  const { x: rawX, y } = dataset.load();
  const split = stratifiedSplit(y, config.validation, random.fork('split'));
  const standardization = fitStandardization(rawX, split.train);
  const x = rawX.map((row) => standardize(row, standardization));

  const net = Mlp.create(
    { inputs: dataset.features.length, hidden: config.hiddenLayers ?? dataset.defaultHidden, outputs: dataset.classes.length, activation: config.activation ?? 'relu' },
    random.fork('init'),
  );
  const optimizer = config.optimizer === 'sgd' ? new Sgd(config.learningRate, 0.9) : new Adam(config.learningRate);
  const order = Int32Array.from(split.train);

  const shuffler = random.fork('shuffle');

  // Weights are snapshotted at each improvement: early stopping and a stop request restore them.
  let best: { epoch: number; loss: number; weights?: Float64Array[] } = { epoch: 0, loss: Infinity };
  let sinceImprovement = 0;
  let stoppedEarly = false;
  let epochsRun = 0;
  let samplesSeen = 0;
  let passMs = 0;
  let lastYield = performance.now();

  const artifactOf = (baselineAccuracy: number): ModelArtifact => ({
    datasetId: dataset.id,
    features: [...dataset.features],
    classes: [...dataset.classes],
    standardization,
    baselineAccuracy,
    trainedAt: Date.now(),
    net,
  });
  const stopped = (): TrainingStopped => {
    if (!best.weights) return { status: 'stopped', epochsRun };
    net.restore(best.weights);
    const measured = net.evaluate(x, y, split.val);
    return { status: 'stopped', epochsRun, checkpoint: { artifact: artifactOf(measured.accuracy), bestEpoch: best.epoch, valLoss: measured.loss, valAccuracy: measured.accuracy } };
  };
  for (let epoch = 1; epoch <= config.epochs; epoch++) {
    const epochStart = performance.now();
    shuffle(order, shuffler);
    let lossSum = 0;
    for (let from = 0; from < order.length; from += config.batchSize) {
      const to = Math.min(order.length, from + config.batchSize);
      lossSum += net.trainBatch(x, y, order, from, to, optimizer) * (to - from);
      if (performance.now() - lastYield > YIELD_EVERY_MS) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
      if (hooks.shouldStop?.()) return stopped();
    }
    const thisPassMs = performance.now() - epochStart;
    const val = net.evaluate(x, y, split.val);
    const epochMs = performance.now() - epochStart;
    epochsRun = epoch;
    samplesSeen += order.length;
    passMs += thisPassMs;
    hooks.onEpoch?.({
      epoch,
      totalEpochs: config.epochs,
      trainLoss: lossSum / order.length,
      valLoss: val.loss,
      valAccuracy: val.accuracy,
      samplesPerSecond: order.length / Math.max(thisPassMs / 1000, 1e-6),
      epochMs,
    });
    if (val.loss < best.loss - (config.earlyStopping?.minDelta ?? 0)) {
      best = { epoch, loss: val.loss, weights: net.snapshot() };
      sinceImprovement = 0;
    } else if (config.earlyStopping && ++sinceImprovement >= config.earlyStopping.patience) {
      stoppedEarly = true;
      break;
    }
    await yieldToEventLoop();
    lastYield = performance.now();
    if (hooks.shouldStop?.()) return stopped();
  }

  // A completed run without early stopping keeps its last weights, as it always has.
  if (best.weights && config.earlyStopping) net.restore(best.weights);
  const final = net.evaluate(x, y, split.val);
  return {
    status: 'completed',
    artifact: artifactOf(final.accuracy),
    epochsRun,
    totalEpochs: config.epochs,
    bestEpoch: best.epoch,
    stoppedEarly,
    valLoss: final.loss,
    valAccuracy: final.accuracy,
    trainingTimeMs: performance.now() - started,
    samplesPerSecond: samplesSeen / Math.max(passMs / 1000, 1e-6),
  };
}
