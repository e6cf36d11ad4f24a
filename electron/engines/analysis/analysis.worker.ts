import { parentPort } from 'node:worker_threads';
import { analyzeCode } from './analyze-code';
import { measureFunctions } from './measure';
import type { AnalysisRequest, AnalysisResponse } from './analysis-worker-messages';

// Worker-thread entry: analyses inputs too large to analyse on the event loop.
const port = parentPort;
if (!port) throw new Error('analysis.worker must run in a worker thread');

port.on('message', ({ id, input, options, measure }: AnalysisRequest) => {
  let response: AnalysisResponse;
  try {
    const result = analyzeCode(input, options);
    response = measure ? { id, ok: true, result, measured: measureFunctions(input, options.filename) } : { id, ok: true, result };
  } catch (error) {
    response = { id, ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(response);
});
