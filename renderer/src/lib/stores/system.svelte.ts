import type { EventPayload } from '../../../../shared/protocol/events';
import { notifyDesktop } from '../bridge';
import { onEvent } from '../bus';
import { arrAt, get, isObj, numAt, strAt, type Obj } from '../pick';
import { api } from '../rest';
import { LiveSeries, type Pt } from '../series.svelte';
import { connection } from './connection.svelte';
import { toasts } from './toasts.svelte';

export type HistoryWindow = '15m' | '1h' | '24h';
export const WINDOW_MS: Record<HistoryWindow, number> = { '15m': 15 * 60_000, '1h': 3_600_000, '24h': 86_400_000 };

export type Severity = 'info' | 'warning' | 'critical';
export interface Alert {
  key: string;
  id?: string;
  severity: Severity;
  message: string;
  component: string;
  timestamp: number;
  acknowledged: boolean;
  acknowledgedBy?: string;
  /** Superseded by a later level change of the same component. */
  resolvedAt: number | null;
  recovery: boolean;
  value?: number;
  threshold?: number;
}

export interface Prediction {
  key: string;
  issue: string;
  component?: string;
  confidence: number;
  /** Absolute time the issue is expected. */
  at: number;
  timestamp: number;
  severity?: string;
  threshold?: number;
  current?: number;
  /** Percentage points per minute. */
  slope?: number;
}

export interface Recommendation {
  key: string;
  title: string;
  detail?: string;
  severity?: string;
  category?: string;
  action?: string;
}

type Status = EventPayload<'system:status'>;

const HISTORY_MAX_AGE = WINDOW_MS['24h'] + 10 * 60_000;
const MAX_ALERTS = 300;

function toAlert(raw: Obj, fallbackTs: number): Alert {
  const id = strAt(raw, 'id', 'alertId');
  const severity = (['info', 'warning', 'critical'].includes(String(raw.severity)) ? raw.severity : 'info') as Severity;
  const timestamp = numAt(raw, 'ts', 'timestamp', 'createdAt') ?? fallbackTs;
  const message = strAt(raw, 'message') ?? 'alert';
  const component = strAt(raw, 'component') ?? 'system';
  return {
    key: id ?? `${component}:${timestamp}:${message}`,
    id,
    severity,
    message,
    component,
    timestamp,
    acknowledged: Boolean(raw.acknowledgedAt ?? raw.acknowledged),
    acknowledgedBy: strAt(raw, 'acknowledgedBy'),
    resolvedAt: numAt(raw, 'resolvedAt') ?? null,
    recovery: Boolean(raw.recovered ?? (raw.level === 'normal')) || (severity === 'info' && /recover|back|normal/i.test(message)),
    value: numAt(raw, 'value', 'current'),
    threshold: numAt(raw, 'threshold'),
  };
}

function toRecommendation(raw: Obj, i: number): Recommendation {
  const title = strAt(raw, 'title', 'message', 'recommendation', 'summary', 'description') ?? `Recommendation ${i + 1}`;
  const detail = strAt(raw, 'reason', 'description', 'detail', 'details', 'rationale');
  return {
    key: strAt(raw, 'id') ?? `${i}:${title}`,
    title,
    detail: detail && detail !== title ? detail : undefined,
    severity: strAt(raw, 'severity', 'priority', 'impact'),
    category: [strAt(raw, 'category'), strAt(raw, 'component')].filter(Boolean).join(' · ') || undefined,
    action: strAt(raw, 'action', 'suggestion', 'fix'),
  };
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
  reasons = $derived(arrAt<string>(this.status, 'health.reasons').filter((r) => typeof r === 'string'));
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
      const body = await api<{ points?: Obj[] }>(`/system/history?window=${w}`);
      const points = arrAt<Obj>(body, 'points', '');
      const col = (key: string, ...alts: string[]): Pt[] =>
        points.flatMap((p) => {
          const x = numAt(p, 'ts', 'timestamp');
          const y = numAt(p, key, ...alts);
          return x === undefined || y === undefined ? [] : [{ x, y }];
        });
      this.cpu.replace(col('cpu'));
      this.memory.replace(col('memory'));
      this.disk.replace(col('disk'));
      this.rx.replace(col('rxBytesPerSec', 'rx'));
      this.tx.replace(col('txBytesPerSec', 'tx'));
    } catch (err) {
      this.historyError = (err as Error).message;
    } finally {
      this.historyLoading = false;
    }
  }

  async loadAlerts(): Promise<void> {
    if (!connection.can('read:system')) return;
    try {
      const body = await api<unknown>('/system/alerts');
      const list = arrAt<Obj>(body, 'alerts', 'items', '');
      const now = Date.now();
      const fromRest = list.filter(isObj).map((a) => toAlert(a, now));
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
    if (!alert.id) return;
    try {
      await api(`/system/alerts/${encodeURIComponent(alert.id)}/ack`, { method: 'POST', body: {} });
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
      this.recommendations = arrAt<Obj>(res, 'recommendations').filter(isObj).map(toRecommendation);
      this.recommendationsAt = Date.now();
    } catch (err) {
      this.recommendationsError = (err as Error).message;
    } finally {
      this.recommendationsLoading = false;
    }
  }

  #onStatus(p: Status): void {
    this.status = p;
    const t = p.timestamp ?? Date.now();
    this.statusAt = Date.now();
    this.cpu.push(t, p.performance.cpu);
    this.memory.push(t, p.performance.memory);
    const disk = numAt(p, 'performance.disk', 'performance.diskUsage');
    if (disk !== undefined) this.disk.push(t, disk);
    // The status carries the engine's current predictions: the authoritative list.
    if (Array.isArray(p.predictions)) {
      const base = numAt(p, 'measuredAt') ?? t;
      this.predictions = (p.predictions as unknown[]).filter(isObj).map((x) => this.#toPrediction(x, base));
    }
  }

  #toPrediction(x: Obj, base: number): Prediction {
    const issue = strAt(x, 'issue') ?? 'predicted issue';
    const component = strAt(x, 'component', 'metric');
    return {
      key: strAt(x, 'id') ?? `${component ?? ''}:${issue}`,
      issue,
      component,
      confidence: numAt(x, 'confidence') ?? 0,
      at: base + (numAt(x, 'timeToIssue') ?? 0),
      timestamp: base,
      severity: strAt(x, 'severity'),
      threshold: numAt(x, 'threshold'),
      current: numAt(x, 'current'),
      slope: numAt(x, 'slope'),
    };
  }

  #onMetrics(p: EventPayload<'system:metrics'>): void {
    this.metrics = p;
    this.metricsAt = Date.now();
    const t = p.timestamp ?? Date.now();
    const rx = numAt(p, 'network.rxBytesPerSec', 'network.rx_sec', 'network.rx', 'network.inBytesPerSec');
    const tx = numAt(p, 'network.txBytesPerSec', 'network.tx_sec', 'network.tx', 'network.outBytesPerSec');
    if (rx !== undefined) this.rx.push(t, rx);
    if (tx !== undefined) this.tx.push(t, tx);
    // Metrics may carry CPU/memory too; status already feeds those series every 5 s.
    if (!this.statusAt || Date.now() - this.statusAt > 15_000) {
      const cpu = numAt(p, 'cpu', 'cpu.usage', 'cpu.percent', 'cpu.load');
      const mem = numAt(p, 'memory', 'memory.usage', 'memory.percent', 'memory.usedPercent');
      if (cpu !== undefined) this.cpu.push(t, cpu);
      if (mem !== undefined) this.memory.push(t, mem);
    }
  }

  #onAlert(p: EventPayload<'system:alert'>): void {
    const alert = toAlert(p, Date.now());
    const resolves = new Set(
      (Array.isArray(p.resolves) ? p.resolves : [p.resolves]).filter((x): x is string => typeof x === 'string'),
    );
    const others = this.alerts
      .filter((a) => a.key !== alert.key)
      .map((a) => (a.id && resolves.has(a.id) && a.resolvedAt === null ? { ...a, resolvedAt: alert.timestamp } : a));
    this.alerts = [alert, ...others].slice(0, MAX_ALERTS);
    this.alertsAt = Date.now();
    if (alert.severity === 'critical' && !alert.recovery) {
      notifyDesktop(`Critical: ${alert.component}`, alert.message);
      toasts.error(`Critical alert · ${alert.component}`, alert.message);
    }
  }

  #onPrediction(p: EventPayload<'system:prediction'>): void {
    const pred = this.#toPrediction(p, numAt(p, 'measuredAt') ?? p.timestamp ?? Date.now());
    const key = pred.key;
    const cutoff = Date.now() - 5 * 60_000;
    this.predictions = [pred, ...this.predictions.filter((x) => x.key !== key && x.timestamp > cutoff)]
      .sort((a, b) => a.at - b.at)
      .slice(0, 20);
  }

  /** Predictions still ahead (and seen recently). */
  activePredictions(now: number): Prediction[] {
    return this.predictions.filter((p) => p.at > now - 60_000 && p.timestamp > now - 5 * 60_000);
  }

  component(name: string): unknown {
    return get(this.status, `components.${name}`);
  }
}

export const system = new SystemStore();
