/**
 * Training worker entry (`startWorker('neural', 'training')`): trains one run per
 * worker so the gradient loop never blocks the server's event loop.
 */
import { parentPort } from 'node:worker_threads';
import { ProtocolError } from '../../../shared/protocol/errors';
import { encodeArtifact } from './artifact';
import { parseTrainingConfig } from './config';
import { resolveDataset } from './datasets';
import type { WorkerCommand, WorkerEvent } from './messages';
import { train } from './train';

if (!parentPort) throw new Error('training.worker must run in a worker thread');
const port = parentPort;

let stopRequested = false;
let started = false;

const post = (event: WorkerEvent, transfer: ArrayBuffer[] = []) => port.postMessage(event, transfer);

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
      post({ type: 'stopped', runId, networkId, epochsRun: outcome.epochsRun });
      return;
    }
    const { epochsRun, totalEpochs, bestEpoch, stoppedEarly, valLoss, valAccuracy, trainingTimeMs, samplesPerSecond } = outcome;
    const bytes = encodeArtifact(outcome.artifact);
    const weights = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    post(
      { type: 'completed', runId, networkId, epochsRun, totalEpochs, bestEpoch, stoppedEarly, valLoss, valAccuracy, trainingTimeMs, samplesPerSecond, weights },
      [weights],
    );
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
  }
});
