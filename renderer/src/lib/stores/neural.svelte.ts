import type { EventPayload } from '../../../../shared/protocol/events';
import type { CommandInput } from '../../../../shared/protocol/command-table';
import { notifyDesktop } from '../bridge';
import { onEvent } from '../bus';
import { arrAt, get, isObj, numAt, strAt, type Obj } from '../pick';
import { api } from '../rest';
import { LiveSeries } from '../series.svelte';
import { connection } from './connection.svelte';
import { registerPaletteProvider } from './palette-entries';
import { router } from '../router.svelte';
import { toasts } from './toasts.svelte';

export type RunStatus = 'queued' | 'running' | 'completed' | 'stopped' | 'failed' | string;

export interface Run {
  runId: string;
  networkId: string;
  status: RunStatus;
  dataset?: string;
  epoch: number;
  totalEpochs: number;
  /** percent 0–100 */
  accuracy: number | null;
  loss: number | null;
  valLoss: number | null;
  etaMs: number | null;
  etaAt: number | null;
  samplesPerSecond: number | null;
  startedAt: number | null;
  finishedAt: number | null;
  trainingTime: number | null;
  message?: string;
  config?: Obj;
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
  currentAccuracy: number;
  baselineAccuracy: number;
  severity: string;
  at: number;
  samples?: number;
}

export interface Dataset {
  id: string;
  name: string;
  description?: string;
  features?: number;
  classes?: string[];
  samples?: number;
}

export interface Network {
  id: string;
  type?: string;
  status?: string;
  accuracy?: number;
  trainedAt?: number;
  dataset?: string;
  raw: Obj;
}

const MAX_RUNS = 200;
/** Live training text and bars change at most this often (~4 Hz): per-epoch events can arrive at 50/s. */
const LIVE_UPDATE_MS = 250;

/** Accuracy may arrive as 0–1 or as percent; the UI shows percent. */
export function accuracyPct(v: number | undefined | null): number | null {
  if (v === undefined || v === null || !Number.isFinite(v)) return null;
  return v <= 1 ? v * 100 : v;
}

function toRun(raw: Obj, prev?: Run): Run {
  const runId = strAt(raw, 'runId', 'id') ?? prev?.runId ?? 'run';
  const status = strAt(raw, 'status', 'state') ?? prev?.status ?? 'running';
  return {
    runId,
    networkId: strAt(raw, 'networkId') ?? prev?.networkId ?? '?',
    status,
    dataset: strAt(raw, 'dataset', 'datasetId', 'dataset.id') ?? (isObj(raw.dataset) ? strAt(raw.dataset, 'csvPath') : undefined) ?? prev?.dataset,
    epoch: numAt(raw, 'epoch', 'epochsRun') ?? prev?.epoch ?? 0,
    totalEpochs: numAt(raw, 'totalEpochs', 'config.epochs') ?? prev?.totalEpochs ?? 0,
    accuracy: accuracyPct(numAt(raw, 'finalAccuracy', 'currentAccuracy', 'valAccuracy', 'accuracy')) ?? prev?.accuracy ?? null,
    loss: numAt(raw, 'currentLoss', 'trainLoss', 'loss') ?? prev?.loss ?? null,
    valLoss: numAt(raw, 'valLoss') ?? prev?.valLoss ?? null,
    etaMs: numAt(raw, 'estimatedTimeRemaining', 'etaMs') ?? prev?.etaMs ?? null,
    etaAt: prev?.etaAt ?? null,
    samplesPerSecond: numAt(raw, 'samplesPerSecond') ?? prev?.samplesPerSecond ?? null,
    startedAt: numAt(raw, 'startedAt', 'createdAt') ?? prev?.startedAt ?? null,
    finishedAt: numAt(raw, 'finishedAt', 'completedAt') ?? prev?.finishedAt ?? null,
    trainingTime: numAt(raw, 'trainingTime') ?? prev?.trainingTime ?? null,
    message: strAt(raw, 'message', 'error') ?? prev?.message,
    config: isObj(raw.config) ? raw.config : prev?.config,
    updatedAt: Date.now(),
  };
}

class NeuralStore {
  runs = $state<Record<string, Run>>({});
  networks = $state.raw<Network[]>([]);
  datasets = $state.raw<Dataset[]>([]);
  drifts = $state.raw<Drift[]>([]);
  inference = $state.raw<Obj | null>(null);
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
  #flushTimer: ReturnType<typeof setTimeout> | null = null;

  list = $derived(Object.values(this.runs).sort((a, b) => (b.startedAt ?? b.updatedAt) - (a.startedAt ?? a.updatedAt)));
  active = $derived(this.list.filter((r) => r.status === 'running' || r.status === 'queued'));

  constructor() {
    onEvent('neural:training:started', (p) => {
      this.#activeByNetwork.set(p.networkId, p.runId);
      this.#upsert(p.runId, { ...p, status: 'running', startedAt: p.timestamp });
    });
    onEvent('neural:training:progress', (p) => {
      const runId = strAt(p, 'runId') ?? this.#activeByNetwork.get(p.networkId) ?? `${p.networkId}@live`;
      this.#activeByNetwork.set(p.networkId, runId);
      // Every epoch goes into the curves at once, quietly; what people read is updated at ~4 Hz.
      const c = this.curvesOf(runId);
      const train = numAt(p, 'trainLoss') ?? p.currentLoss;
      c.loss.push(p.epoch, train, true);
      const val = numAt(p, 'valLoss');
      if (val !== undefined) c.valLoss.push(p.epoch, val, true);
      const acc = accuracyPct(p.currentAccuracy);
      if (acc !== null) c.accuracy.push(p.epoch, acc, true);
      this.#pending.set(runId, p);
      this.#flushTimer ??= setTimeout(() => this.#flush(), LIVE_UPDATE_MS);
    });
    onEvent('neural:training:completed', (p) => {
      this.#flush();
      const runId = strAt(p, 'runId') ?? this.#activeByNetwork.get(p.networkId) ?? `${p.networkId}@live`;
      this.#activeByNetwork.delete(p.networkId);
      const run = this.#upsert(runId, { ...p, status: 'completed', finishedAt: p.timestamp, etaMs: 0 });
      run.epoch = numAt(p, 'epochsRun', 'epochs') ?? run.epoch;
      run.loss = numAt(p, 'finalLoss') ?? run.loss;
      toasts.success(`Training completed: ${p.networkId}`, `final accuracy ${run.accuracy?.toFixed(1) ?? '—'} %`);
      void this.loadNetworks();
    });
    onEvent('neural:training:stopped', (p) => {
      this.#flush();
      this.#activeByNetwork.delete(p.networkId);
      this.#upsert(p.runId, { ...p, status: 'stopped', finishedAt: p.timestamp });
      // The best epoch so far may have become the network's model.
      const checkpoint = p.checkpoint as { bestEpoch: number; accuracy: number; adopted: boolean; reason?: string } | undefined;
      if (checkpoint?.adopted) {
        toasts.success(`Training stopped: ${p.networkId}`, `kept the best epoch (${checkpoint.bestEpoch}, accuracy ${checkpoint.accuracy.toFixed(1)} %) as the model`);
        void this.loadNetworks();
      } else if (checkpoint?.reason) toasts.info(`Training stopped: ${p.networkId}`, checkpoint.reason);
    });
    onEvent('neural:training:failed', (p) => {
      this.#flush();
      this.#activeByNetwork.delete(p.networkId);
      this.#upsert(p.runId, { ...p, status: 'failed', finishedAt: p.timestamp });
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
        currentAccuracy: accuracyPct(p.currentAccuracy) ?? 0,
        baselineAccuracy: accuracyPct(p.baselineAccuracy) ?? 0,
        severity: p.severity,
        at: p.timestamp ?? Date.now(),
        samples: numAt(p, 'samples'),
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
  #flush(): void {
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    this.#flushTimer = null;
    if (this.#pending.size === 0) return;
    for (const [runId, p] of this.#pending) {
      const run = this.#upsert(runId, { ...p, status: 'running' });
      run.etaAt = Date.now() + p.estimatedTimeRemaining;
      const c = this.curvesOf(runId);
      c.loss.touch();
      c.valLoss.touch();
      c.accuracy.touch();
    }
    this.#pending.clear();
    this.lastProgressAt = Date.now();
  }

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
      const body = await api<unknown>('/neural/networks');
      this.datasets = arrAt<Obj>(body, 'datasets')
        .filter(isObj)
        .map((d) => ({
          id: strAt(d, 'id') ?? '?',
          name: strAt(d, 'name') ?? strAt(d, 'id') ?? '?',
          description: strAt(d, 'description'),
          features: Array.isArray(d.features) ? d.features.length : numAt(d, 'features'),
          classes: arrAt<string>(d, 'classes'),
          samples: numAt(d, 'samples', 'rows'),
        }));
      this.networks = arrAt<Obj>(body, 'networks')
        .filter(isObj)
        .map((n) => ({
          id: strAt(n, 'id', 'networkId') ?? '?',
          type: strAt(n, 'type', 'networkType'),
          status: strAt(n, 'status', 'state'),
          accuracy: accuracyPct(numAt(n, 'accuracy', 'finalAccuracy', 'valAccuracy', 'baselineAccuracy')) ?? undefined,
          trainedAt: numAt(n, 'trainedAt', 'updatedAt'),
          dataset: strAt(n, 'dataset', 'datasetId'),
          raw: n,
        }));
      for (const r of arrAt<Obj>(body, 'runs').filter(isObj)) {
        const run = this.#upsert(strAt(r, 'runId', 'id') ?? '?', r);
        if (run.status === 'running' || run.status === 'queued') this.#activeByNetwork.set(run.networkId, run.runId);
        const history = arrAt<Obj>(r, 'history', 'epochs', 'progress');
        if (history.length) this.#fillCurves(run.runId, history);
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
      const body = await api<unknown>(`/neural/runs/${encodeURIComponent(runId)}`);
      const raw = isObj(get(body, 'run')) ? (get(body, 'run') as Obj) : body;
      if (isObj(raw) && !this.runs[runId]) this.#upsert(runId, raw as Obj);
      if (this.hasCurves(runId)) return;
      const history = arrAt<Obj>(raw, 'history', 'epochs', 'progress');
      if (history.length) this.#fillCurves(runId, history);
    } catch {
      /* no stored curve for this run */
    }
  }

  async start(input: CommandInput<'neural:training:start'>) {
    const c = connection.client;
    if (!c) throw new Error('not connected');
    const res = await c.request('neural:training:start', input);
    this.#activeByNetwork.set(res.networkId, res.runId);
    this.#upsert(res.runId, { ...res, dataset: typeof input.dataset === 'string' ? input.dataset : input.dataset.csvPath, totalEpochs: input.config.epochs, config: input.config as Obj, startedAt: Date.now() });
    return res;
  }

  async stop(runId: string): Promise<void> {
    const c = connection.client;
    if (!c) throw new Error('not connected');
    const res = await c.request('neural:training:stop', { runId });
    this.#upsert(runId, res as Obj);
  }

  #fillCurves(runId: string, history: Obj[]): void {
    const c = this.curvesOf(runId);
    for (const h of history) {
      const epoch = numAt(h, 'epoch');
      if (epoch === undefined) continue;
      const loss = numAt(h, 'trainLoss', 'loss', 'currentLoss');
      const val = numAt(h, 'valLoss');
      const acc = accuracyPct(numAt(h, 'valAccuracy', 'accuracy', 'currentAccuracy'));
      if (loss !== undefined) c.loss.push(epoch, loss);
      if (val !== undefined) c.valLoss.push(epoch, val);
      if (acc !== null) c.accuracy.push(epoch, acc);
    }
  }

  #upsert(runId: string, patch: Obj): Run {
    const prev = this.runs[runId];
    const next = toRun({ ...patch, runId }, prev ? ($state.snapshot(prev) as Run) : undefined);
    if (prev) Object.assign(prev, next);
    else {
      this.runs[runId] = next;
      const ids = Object.keys(this.runs);
      if (ids.length > MAX_RUNS) {
        const oldest = Object.values(this.runs)
          .filter((r) => r.status !== 'running')
          .sort((a, b) => a.updatedAt - b.updatedAt)
          .slice(0, ids.length - MAX_RUNS);
        for (const r of oldest) delete this.runs[r.runId];
      }
    }
    return this.runs[runId]!;
  }
}

export const neural = new NeuralStore();
