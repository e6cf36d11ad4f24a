import type { EventPayload } from '../../../../shared/protocol/events';
import type { CommandInput } from '../../../../shared/protocol/command-table';
import type { DatasetSummary, EpochRecord, NetworkView, Percent, RunStatus, RunView } from '../../../../shared/protocol/results';
import { notifyDesktop } from '../desktop-bridge';
import { onEvent } from '../server-events';
import { rest } from '../rest';
import { LiveSeries } from '../series.svelte';
import { pace } from '../pace';
import { connection } from './connection.svelte';
import { registerPaletteProvider } from './palette-entries';
import { router } from '../router.svelte';
import { toasts } from './toasts.svelte';

export type { RunStatus };

/** A training run as the views show it: the server's RunView, kept current by the training events. */
export interface Run {
  runId: string;
  networkId: string;
  status: RunStatus;
  dataset?: string;
  epoch: number;
  totalEpochs: number;
  accuracy: Percent | null;
  /** Validation loss of the latest epoch (the server's `currentLoss`). */
  loss: number | null;
  valLoss: number | null;
  etaMs: number | null;
  etaAt: number | null;
  samplesPerSecond: number | null;
  startedAt: number | null;
  finishedAt: number | null;
  trainingTime: number | null;
  message?: string;
  config?: RunView['config'];
  updatedAt: number;
}

export interface RunCurves {
  loss: LiveSeries;
  valLoss: LiveSeries;
  accuracy: LiveSeries;
}

export interface Drift {
  key: string;
  modelId: string;
  currentAccuracy: Percent;
  baselineAccuracy: Percent;
  severity: string;
  at: number;
  samples: number;
}

export type Dataset = DatasetSummary;
export type Network = NetworkView;

const MAX_RUNS = 200;

/** What a stored run says, as a patch over what the page already knows. */
function fromView(v: RunView): Partial<Run> & Pick<Run, 'networkId'> {
  return {
    networkId: v.networkId,
    status: v.status,
    dataset: v.dataset,
    epoch: v.epoch,
    totalEpochs: v.totalEpochs,
    accuracy: v.finalAccuracy ?? v.currentAccuracy,
    loss: v.currentLoss,
    valLoss: v.currentLoss,
    samplesPerSecond: v.samplesPerSecond,
    startedAt: v.startedAt ?? v.createdAt,
    finishedAt: v.finishedAt,
    trainingTime: v.trainingTime ?? null,
    message: v.message,
    config: v.config,
  };
}

function blankRun(runId: string, networkId: string): Run {
  return {
    runId,
    networkId,
    status: 'running',
    epoch: 0,
    totalEpochs: 0,
    accuracy: null,
    loss: null,
    valLoss: null,
    etaMs: null,
    etaAt: null,
    samplesPerSecond: null,
    startedAt: null,
    finishedAt: null,
    trainingTime: null,
    updatedAt: Date.now(),
  };
}

class NeuralStore {
  runs = $state<Record<string, Run>>({});
  networks = $state.raw<Network[]>([]);
  datasets = $state.raw<Dataset[]>([]);
  drifts = $state.raw<Drift[]>([]);
  inference = $state.raw<EventPayload<'neural:inference:metrics'> | null>(null);
  inferenceAt = $state<number | null>(null);
  lastProgressAt = $state<number | null>(null);
  loadedAt = $state<number | null>(null);
  error = $state<string | null>(null);
  #curves = new Map<string, RunCurves>();
  /** networkId → the run currently training it (progress events may omit runId). */
  #activeByNetwork = new Map<string, string>();
  #historyRequested = new Set<string>();
  curvesRev = $state(0);
  #pending = new Map<string, EventPayload<'neural:training:progress'>>();

  list = $derived(Object.values(this.runs).sort((a, b) => (b.startedAt ?? b.updatedAt) - (a.startedAt ?? a.updatedAt)));
  active = $derived(this.list.filter((r) => r.status === 'running' || r.status === 'queued'));

  constructor() {
    onEvent('neural:training:started', (p) => {
      this.#activeByNetwork.set(p.networkId, p.runId);
      this.#upsert(p.runId, { networkId: p.networkId, status: 'running', dataset: p.dataset, totalEpochs: p.totalEpochs, startedAt: p.startedAt });
    });
    onEvent('neural:training:progress', (p) => {
      this.#activeByNetwork.set(p.networkId, p.runId);
      // Every epoch goes into the curves at once, quietly; what people read changes on the page's beat
      // (per-epoch events can arrive at 50/s or more).
      const c = this.curvesOf(p.runId);
      c.loss.push(p.epoch, p.trainLoss, true);
      c.valLoss.push(p.epoch, p.valLoss, true);
      c.accuracy.push(p.epoch, p.currentAccuracy, true);
      this.#pending.set(p.runId, p);
      pace.next(this.#flush);
    });
    onEvent('neural:training:completed', (p) => {
      this.#flush();
      this.#activeByNetwork.delete(p.networkId);
      const run = this.#upsert(p.runId, {
        networkId: p.networkId,
        status: 'completed',
        finishedAt: p.timestamp,
        etaMs: 0,
        accuracy: p.finalAccuracy,
        loss: p.finalLoss,
        epoch: p.epochs,
        totalEpochs: p.totalEpochs,
        trainingTime: p.trainingTime,
        samplesPerSecond: p.samplesPerSecond,
      });
      toasts.success(`Training completed: ${p.networkId}`, `final accuracy ${run.accuracy?.toFixed(1) ?? '—'} %`);
      void this.loadNetworks();
    });
    onEvent('neural:training:stopped', (p) => {
      this.#flush();
      this.#activeByNetwork.delete(p.networkId);
      this.#upsert(p.runId, { networkId: p.networkId, status: p.status, finishedAt: p.timestamp, epoch: p.epochsRun });
      // The best epoch so far may have become the network's model.
      const checkpoint = p.checkpoint;
      if (checkpoint?.adopted) {
        toasts.success(`Training stopped: ${p.networkId}`, `kept the best epoch (${checkpoint.bestEpoch}, accuracy ${checkpoint.accuracy.toFixed(1)} %) as the model`);
        void this.loadNetworks();
      } else if (checkpoint?.reason) toasts.info(`Training stopped: ${p.networkId}`, checkpoint.reason);
    });
    onEvent('neural:training:failed', (p) => {
      this.#flush();
      this.#activeByNetwork.delete(p.networkId);
      this.#upsert(p.runId, { networkId: p.networkId, status: 'failed', finishedAt: p.timestamp, message: p.message });
      toasts.error(`Training failed: ${p.networkId}`, p.message);
    });
    onEvent('neural:inference:metrics', (p) => {
      this.inference = p;
      this.inferenceAt = Date.now();
    });
    onEvent('neural:accuracy:drift', (p) => {
      const d: Drift = {
        key: `${p.modelId}:${p.timestamp}`,
        modelId: p.modelId,
        currentAccuracy: p.currentAccuracy,
        baselineAccuracy: p.baselineAccuracy,
        severity: p.severity,
        at: p.timestamp,
        samples: p.samples,
      };
      this.drifts = [d, ...this.drifts].slice(0, 100);
      if (p.severity === 'critical') notifyDesktop(`Accuracy drift: ${p.modelId}`, `${d.currentAccuracy.toFixed(1)} % vs baseline ${d.baselineAccuracy.toFixed(1)} %`);
    });
    connection.onConnected(() => void this.load());
    registerPaletteProvider(() => ({
      heading: 'Neural',
      items: [{ id: 'train:new', label: 'Start a training run…', keywords: ['neural', 'train', 'model'], needs: 'admin:neural', run: () => router.go('neural?create=1') }],
    }));
  }

  /** Applies the progress held back since the last flush: one reactive update per run, one redraw per curve. */
  #flush = (): void => {
    if (this.#pending.size === 0) return;
    for (const [runId, p] of this.#pending) {
      const run = this.#upsert(runId, {
        networkId: p.networkId,
        status: 'running',
        epoch: p.epoch,
        totalEpochs: p.totalEpochs,
        accuracy: p.currentAccuracy,
        loss: p.currentLoss,
        valLoss: p.valLoss,
        etaMs: p.estimatedTimeRemaining,
        samplesPerSecond: p.samplesPerSecond,
      });
      run.etaAt = Date.now() + p.estimatedTimeRemaining;
      const c = this.curvesOf(runId);
      c.loss.touch();
      c.valLoss.touch();
      c.accuracy.touch();
    }
    this.#pending.clear();
    this.lastProgressAt = Date.now();
  };

  curvesOf(runId: string): RunCurves {
    let c = this.#curves.get(runId);
    if (!c) {
      c = { loss: new LiveSeries(Infinity, 5000), valLoss: new LiveSeries(Infinity, 5000), accuracy: new LiveSeries(Infinity, 5000) };
      this.#curves.set(runId, c);
      queueMicrotask(() => this.curvesRev++);
    }
    return c;
  }

  hasCurves(runId: string): boolean {
    void this.curvesRev;
    return (this.#curves.get(runId)?.loss.points.length ?? 0) > 0;
  }

  async load(): Promise<void> {
    if (!connection.can('read:neural')) return;
    await this.loadNetworks();
  }

  async loadNetworks(): Promise<void> {
    try {
      const body = await rest('GET /api/neural/networks');
      this.datasets = body.datasets;
      this.networks = body.networks;
      for (const r of body.runs) {
        const run = this.#upsert(r.runId, fromView(r));
        if (run.status === 'running' || run.status === 'queued') this.#activeByNetwork.set(run.networkId, run.runId);
      }
      this.loadedAt = Date.now();
      this.error = null;
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  /** Loads a finished run's per-epoch history for comparison, when the server offers it (`force`: also when curves exist, e.g. for its page). */
  async loadRunHistory(runId: string, force = false): Promise<void> {
    if (!force && (this.hasCurves(runId) || this.#historyRequested.has(runId))) return;
    this.#historyRequested.add(runId);
    try {
      const run = await rest('GET /api/neural/runs/:runId', { params: { runId } });
      if (!this.runs[runId]) this.#upsert(runId, fromView(run));
      if (this.hasCurves(runId)) return;
      if (run.history.length) this.#fillCurves(runId, run.history);
    } catch {
      /* no stored curve for this run */
    }
  }

  async start(input: CommandInput<'neural:training:start'>) {
    const c = connection.client;
    if (!c) throw new Error('not connected');
    const res = await c.request('neural:training:start', input);
    this.#activeByNetwork.set(res.networkId, res.runId);
    this.#upsert(res.runId, { networkId: res.networkId, status: res.status, dataset: res.dataset, totalEpochs: input.config.epochs, startedAt: Date.now() });
    return res;
  }

  async stop(runId: string): Promise<void> {
    const c = connection.client;
    if (!c) throw new Error('not connected');
    this.#upsert(runId, fromView(await c.request('neural:training:stop', { runId })));
  }

  #fillCurves(runId: string, history: EpochRecord[]): void {
    const c = this.curvesOf(runId);
    for (const h of history) {
      c.loss.push(h.epoch, h.trainLoss);
      c.valLoss.push(h.epoch, h.valLoss);
      c.accuracy.push(h.epoch, h.valAccuracy);
    }
  }

  /** Merges what an event or a read says about a run into what the page knows (a run first seen needs its network). */
  #upsert(runId: string, patch: Partial<Run> & Pick<Run, 'networkId'>): Run {
    const prev = this.runs[runId];
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<Run>;
    if (prev) {
      Object.assign(prev, defined, { updatedAt: Date.now() });
      return prev;
    }
    this.runs[runId] = { ...blankRun(runId, patch.networkId), ...defined };
    const ids = Object.keys(this.runs);
    if (ids.length > MAX_RUNS) {
      const oldest = Object.values(this.runs)
        .filter((r) => r.status !== 'running')
        .sort((a, b) => a.updatedAt - b.updatedAt)
        .slice(0, ids.length - MAX_RUNS);
      for (const r of oldest) delete this.runs[r.runId];
    }
    return this.runs[runId]!;
  }
}

export const neural = new NeuralStore();
