import type { Worker } from 'node:worker_threads';
import { startWorker } from '../workers';
import { listDatasets, type DatasetSummary } from './config';
import type { WorkerCommand, WorkerEvent } from './training-worker-messages';

/**
 * The built-in datasets' summaries, measured once on a worker thread: loading the
 * code-analyzer dataset parses the whole bundled corpus (up to a second), which
 * must not stall the event loop. Falls back to measuring in-thread if the worker fails.
 */
export class DatasetCatalog {
  private summaries: Promise<DatasetSummary[]> | undefined;
  private worker: Worker | undefined;
  private closed = false;

  /** Starts measuring; later calls and `list()` share the one result. */
  preload(): Promise<DatasetSummary[]> {
    this.summaries ??= this.measure().catch(() => (this.closed ? [] : listDatasets()));
    return this.summaries;
  }

  list(): Promise<DatasetSummary[]> {
    return this.preload();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.worker?.terminate();
  }

  private measure(): Promise<DatasetSummary[]> {
    return new Promise((resolve, reject) => {
      const worker = startWorker('neural', 'training');
      this.worker = worker;
      worker.unref();
      worker.on('message', (event: WorkerEvent) => {
        if (event.type === 'datasets') resolve(event.datasets);
      });
      worker.on('error', reject);
      // Settles nothing if the datasets came first; else the fallback takes over.
      worker.on('exit', () => {
        this.worker = undefined;
        reject(new Error('dataset worker exited without an answer'));
      });
      worker.postMessage({ type: 'describe' } satisfies WorkerCommand);
    });
  }
}
