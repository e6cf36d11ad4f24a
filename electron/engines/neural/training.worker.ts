/**
 * Training worker entry (`startWorker('neural', 'training')`): trains one run per
 * worker so the gradient loop never blocks the server's event loop.
 */
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { ProtocolError } from '../../../shared/protocol/errors';
import { encodeArtifact, type ModelArtifact } from './artifact';
import { listDatasets, parseTrainingConfig } from './config';
import { resolveDataset } from './datasets';
import type { WorkerCommand, WorkerEvent } from './training-worker-messages';
import { train } from './train';

if (!parentPort) throw new Error('training.worker must run in a worker thread');
const port = parentPort;

/**
 * Training is background work: it may take every idle cycle, but not cycles the
 * event loop that delivers events needs. On Linux each thread has its own nice
 * value, so this lowers this worker's alone; elsewhere it would renice the whole
 * process, so it is left as is.
 */
const BACKGROUND_NICE = 10;
if (process.platform === 'linux') {
  try {
    setPriority(BACKGROUND_NICE);
  } catch {
    // Not permitted (e.g. a sandbox): training still runs, at normal priority.
  }
}

let stopRequested = false;
let started = false;

const post = (event: WorkerEvent, transfer: ArrayBuffer[] = []) => port.postMessage(event, transfer);

function encoded(artifact: ModelArtifact): ArrayBuffer {
  const bytes = encodeArtifact(artifact);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

async function run(command: Extract<WorkerCommand, { type: 'start' }>): Promise<void> {
  const { runId, networkId } = command;
  try {
    const config = parseTrainingConfig(command.config);
    const dataset = resolveDataset(command.dataset);
    const outcome = await train(dataset, config, {
      onEpoch: (report) => post({ type: 'progress', runId, networkId, ...report }),
      shouldStop: () => stopRequested,
    });
    if (outcome.status === 'stopped') {
      const c = outcome.checkpoint;
      if (!c) {
        post({ type: 'stopped', runId, networkId, epochsRun: outcome.epochsRun });
        return;
      }
      const weights = encoded(c.artifact);
      post({ type: 'stopped', runId, networkId, epochsRun: outcome.epochsRun, checkpoint: { weights, bestEpoch: c.bestEpoch, valLoss: c.valLoss, valAccuracy: c.valAccuracy } }, [
        weights,
      ]);
      return;
    }
    const { epochsRun, totalEpochs, bestEpoch, stoppedEarly, valLoss, valAccuracy, trainingTimeMs, samplesPerSecond } = outcome;
    const weights = encoded(outcome.artifact);
    post({ type: 'completed', runId, networkId, epochsRun, totalEpochs, bestEpoch, stoppedEarly, valLoss, valAccuracy, trainingTimeMs, samplesPerSecond, weights }, [weights]);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    post({ type: 'failed', runId, networkId, message, ...(error instanceof ProtocolError ? { code: error.code } : {}) });
  } finally {
    port.close();
  }
}

port.on('message', (command: WorkerCommand) => {
  if (command.type === 'stop') {
    stopRequested = true;
  } else if (command.type === 'start' && !started) {
    started = true;
    void run(command);
  } else if (command.type === 'describe' && !started) {
    started = true;
    post({ type: 'datasets', datasets: listDatasets() });
    port.close();
  }
});
