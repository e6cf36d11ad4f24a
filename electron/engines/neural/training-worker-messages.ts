import type { DatasetSummary, TrainingConfigInput } from './config';
import type { DatasetRef } from './datasets/dataset-types';
import type { EpochReport, TrainingOutcome } from './train';

/** Main thread → training worker. */
export type WorkerCommand =
  | { type: 'start'; runId: string; networkId: string; dataset: DatasetRef; config: TrainingConfigInput }
  | { type: 'stop' }
  /** Measures the built-in datasets (the code corpus parse takes up to a second) and exits. */
  | { type: 'describe' };

/** Training worker → main thread; exactly one of completed/stopped/failed ends a run. */
export type WorkerEvent =
  | ({ type: 'progress'; runId: string; networkId: string } & EpochReport)
  | ({
      type: 'completed';
      runId: string;
      networkId: string;
      /** The encoded model artifact (see artifact.ts), transferred rather than copied. */
      weights: ArrayBuffer;
    } & Omit<TrainingOutcome, 'status' | 'artifact'>)
  | {
      type: 'stopped';
      runId: string;
      networkId: string;
      epochsRun: number;
      /** The best epoch's encoded artifact and measures, when an epoch finished before the stop. */
      checkpoint?: { weights: ArrayBuffer; bestEpoch: number; valLoss: number; valAccuracy: number };
    }
  | { type: 'failed'; runId: string; networkId: string; message: string; code?: string }
  | { type: 'datasets'; datasets: DatasetSummary[] };
