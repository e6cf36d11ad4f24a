import type { EventPayload } from '../../../../shared/protocol/events';
import type { StoredAlert } from '../../../../shared/protocol/rest';
import type { Fraction, Percent, Prediction as ServerPrediction, Recommendation as ServerRecommendation } from '../../../../shared/protocol/results';
import { notifyDesktop } from '../desktop-bridge';
import { onEvent } from '../server-events';
import { rest } from '../rest';
import { LiveSeries, type Pt } from '../series.svelte';
import { connection } from './connection.svelte';
import { toasts } from './toasts.svelte';

export type HistoryWindow = '15m' | '1h' | '24h';
export const WINDOW_MS: Record<HistoryWindow, number> = { '15m': 15 * 60_000, '1h': 3_600_000, '24h': 86_400_000 };

export type Severity = 'info' | 'warning' | 'critical';
export interface Alert {
  key: string;
  id: string;
  severity: Severity;
  message: string;
  component: string;
  timestamp: number;
  acknowledged: boolean;
  acknowledgedBy?: string;
  /** Superseded by a later level change of the same component. */
  resolvedAt: number | null;
  /** The component is back to normal (the server reports recoveries at severity info). */
  recovery: boolean;
  value: number | null;
  threshold: Percent | null;
}

/** A server prediction, placed in time. */
export type Prediction = Omit<ServerPrediction, 'confidence'> & {
  key: string;
  confidence: Fraction;
  /** Absolute time the issue is expected. */
  at: number;
  timestamp: number;
};

export type Recommendation = ServerRecommendation & {
  key: string;
  /** Why, when it says more than the title. */
  detail?: string;
  /** Category and component, as shown. */
  label: string;
};

type Status = EventPayload<'system:status'>;

const HISTORY_MAX_AGE = WINDOW_MS['24h'] + 10 * 60_000;
const MAX_ALERTS = 300;

function fromStored(a: StoredAlert): Alert {
  return {
    key: a.id,
    id: a.id,
    severity: a.severity,
    message: a.message,
    component: a.component,
    timestamp: a.ts,
    acknowledged: a.acknowledgedAt !== null,
    acknowledgedBy: a.acknowledgedBy ?? undefined,
    resolvedAt: a.resolvedAt,
    recovery: a.severity === 'info',
    value: a.value,
    threshold: a.threshold,
  };
}

function fromEvent(p: EventPayload<'system:alert'>): Alert {
  return {
    key: p.id,
    id: p.id,
    severity: p.severity,
    message: p.message,
    component: p.component,
    timestamp: p.timestamp,
    acknowledged: false,
    resolvedAt: null,
    recovery: p.recovered,
    value: p.value,
    threshold: p.threshold,
  };
}

function toRecommendation(r: ServerRecommendation): Recommendation {
  return { ...r, key: r.id, detail: r.reason !== r.title ? r.reason : undefined, label: `${r.category} · ${r.component}` };
}

function placed(p: ServerPrediction, base: number): Prediction {
  return { ...p, key: p.id, at: base + p.timeToIssue, timestamp: base };
}

class SystemStore {
  status = $state.raw<Status | null>(null);
  statusAt = $state<number | null>(null);
  metrics = $state.raw<EventPayload<'system:metrics'> | null>(null);
  metricsAt = $state<number | null>(null);

  cpu = new LiveSeries(HISTORY_MAX_AGE, 40_000);
  memory = new LiveSeries(HISTORY_MAX_AGE, 40_000);
  disk = new LiveSeries(HISTORY_MAX_AGE, 40_000);
  rx = new LiveSeries(HISTORY_MAX_AGE, 40_000);
  tx = new LiveSeries(HISTORY_MAX_AGE, 40_000);

  window = $state<HistoryWindow>('15m');
  historyLoading = $state(false);
  historyError = $state<string | null>(null);

  alerts = $state.raw<Alert[]>([]);
  alertsAt = $state<number | null>(null);
  predictions = $state.raw<Prediction[]>([]);
  recommendations = $state.raw<Recommendation[]>([]);
  recommendationsAt = $state<number | null>(null);
  recommendationsLoading = $state(false);
  recommendationsError = $state<string | null>(null);

  health = $derived(this.status?.health.overall ?? null);
  reasons = $derived(this.status?.health.reasons ?? []);
  score = $derived(this.status?.health.score ?? null);
  unacknowledged = $derived(this.alerts.filter((a) => !a.acknowledged && !a.recovery && a.resolvedAt === null && a.severity !== 'info').length);

  constructor() {
    onEvent('system:status', (p) => this.#onStatus(p));
    onEvent('system:metrics', (p) => this.#onMetrics(p));
    onEvent('system:alert', (p) => this.#onAlert(p));
    onEvent('system:prediction', (p) => this.#onPrediction(p));
    connection.onConnected(() => {
      void this.loadHistory(this.window);
      void this.loadAlerts();
      void this.loadRecommendations();
    });
  }

  setWindow(w: HistoryWindow): void {
    this.window = w;
    void this.loadHistory(w);
  }

  async loadHistory(w: HistoryWindow): Promise<void> {
    this.historyLoading = true;
    this.historyError = null;
    try {
      const { points } = await rest('GET /api/system/history', { query: { window: w } });
      const col = (key: 'cpu' | 'memory' | 'disk' | 'rxBytesPerSec' | 'txBytesPerSec'): Pt[] =>
        points.flatMap((p) => {
          const y = p[key];
          return y === null ? [] : [{ x: p.ts, y }];
        });
      this.cpu.replace(col('cpu'));
      this.memory.replace(col('memory'));
      this.disk.replace(col('disk'));
      this.rx.replace(col('rxBytesPerSec'));
      this.tx.replace(col('txBytesPerSec'));
    } catch (err) {
      this.historyError = (err as Error).message;
    } finally {
      this.historyLoading = false;
    }
  }

  async loadAlerts(): Promise<void> {
    if (!connection.can('read:system')) return;
    try {
      const { alerts } = await rest('GET /api/system/alerts');
      const now = Date.now();
      const fromRest = alerts.map(fromStored);
      // Keep live alerts the REST snapshot does not know yet.
      const keys = new Set(fromRest.map((a) => a.key));
      const merged = [...fromRest, ...this.alerts.filter((a) => !keys.has(a.key))];
      this.alerts = merged.sort((a, b) => b.timestamp - a.timestamp).slice(0, MAX_ALERTS);
      this.alertsAt = now;
    } catch {
      /* shown via stale indicator */
    }
  }

  async acknowledge(alert: Alert): Promise<void> {
    try {
      await rest('POST /api/system/alerts/:id/ack', { params: { id: alert.id }, body: {} });
      this.alerts = this.alerts.map((a) => (a.key === alert.key ? { ...a, acknowledged: true } : a));
      toasts.success('Alert acknowledged', alert.message);
    } catch (err) {
      toasts.error('Could not acknowledge the alert', err);
    }
  }

  async loadRecommendations(): Promise<void> {
    const client = connection.client;
    if (!client || !connection.can('read:system')) return;
    this.recommendationsLoading = true;
    this.recommendationsError = null;
    try {
      const res = await client.request('system:recommendations:get', {});
      this.recommendations = res.recommendations.map(toRecommendation);
      this.recommendationsAt = Date.now();
    } catch (err) {
      this.recommendationsError = (err as Error).message;
    } finally {
      this.recommendationsLoading = false;
    }
  }

  #onStatus(p: Status): void {
    this.status = p;
    const t = p.timestamp;
    this.statusAt = Date.now();
    this.cpu.push(t, p.performance.cpu);
    this.memory.push(t, p.performance.memory);
    this.disk.push(t, p.performance.disk);
    // The status carries the engine's current predictions: the authoritative list.
    this.predictions = p.predictions.map((x) => placed(x, p.measuredAt));
  }

  #onMetrics(p: EventPayload<'system:metrics'>): void {
    this.metrics = p;
    this.metricsAt = Date.now();
    const t = p.timestamp;
    this.rx.push(t, p.network.rxBytesPerSec);
    this.tx.push(t, p.network.txBytesPerSec);
    // Status feeds the CPU and memory series every 5 s; metrics fill in when it is late.
    if (!this.statusAt || Date.now() - this.statusAt > 15_000) {
      this.cpu.push(t, p.cpu.usage);
      this.memory.push(t, p.memory.usage);
    }
  }

  #onAlert(p: EventPayload<'system:alert'>): void {
    const alert = fromEvent(p);
    const others = this.alerts.filter((a) => a.key !== alert.key).map((a) => (a.id === p.resolves && a.resolvedAt === null ? { ...a, resolvedAt: alert.timestamp } : a));
    this.alerts = [alert, ...others].slice(0, MAX_ALERTS);
    this.alertsAt = Date.now();
    if (alert.severity === 'critical' && !alert.recovery) {
      notifyDesktop(`Critical: ${alert.component}`, alert.message);
      toasts.error(`Critical alert · ${alert.component}`, alert.message);
    }
  }

  #onPrediction(p: EventPayload<'system:prediction'>): void {
    const pred = placed(p, p.timestamp);
    const key = pred.key;
    const cutoff = Date.now() - 5 * 60_000;
    this.predictions = [pred, ...this.predictions.filter((x) => x.key !== key && x.timestamp > cutoff)].sort((a, b) => a.at - b.at).slice(0, 20);
  }

  /** Predictions still ahead (and seen recently). */
  activePredictions(now: number): Prediction[] {
    return this.predictions.filter((p) => p.at > now - 60_000 && p.timestamp > now - 5 * 60_000);
  }
}

export const system = new SystemStore();
