import { parentPort } from 'node:worker_threads';
import { analyzeCode } from './analyze';
import type { AnalysisRequest, AnalysisResponse } from './messages';

// Worker-thread entry: analyses inputs too large to analyse on the event loop.
const port = parentPort;
if (!port) throw new Error('analysis.worker must run in a worker thread');

port.on('message', ({ id, input, options }: AnalysisRequest) => {
  let response: AnalysisResponse;
  try {
    response = { id, ok: true, result: analyzeCode(input, options) };
  } catch (error) {
    response = { id, ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(response);
});
