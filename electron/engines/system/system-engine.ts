import { randomUUID } from 'node:crypto';
import { ProtocolError } from '../../../shared/protocol/errors';
import { defaultsOf, staticSettings, type SettingsSource, type SystemSettings } from '../config/schemas';
import type { TimerHandle } from '../clock';
import type { Engine, EngineContext } from '../context';
import { AlertStore, type AlertQuery, type StoredAlert } from './alert-store';
import { AlertMonitor, describeChange, type AlertPolicy, type LevelChange } from './alerts';
import { assessHealth, type Health } from './health';
import { MetricsHistory, type HistoryPoint } from './history';
import { fitSeries, predict, round, type Prediction } from './predictions';
import { filterRecommendations, recommend, type Recommendation, type RecommendationFilter } from './recommendations';
import { WATCHED, type HostSample, type Level, type NeuralStats, type Sampler, type SwarmStats, type Thresholds, type TimedSample, type Watched } from './system-types';

/** docs/protocol.md §9 cadences. */
const STATUS_INTERVAL_MS = 5000;
const METRICS_INTERVAL_MS = 10_000;
/** A prediction that still holds is repeated at most this often. */
const PREDICTION_REPEAT_MS = 60_000;
/** Bounds the in-memory trend window whatever the settings (1 h at 1 s sampling). */
const MAX_RECENT = 3600;

export interface SystemEngineOptions {
  sampler: Sampler;
  settings?: SettingsSource<SystemSettings>;
  swarmStats?: () => SwarmStats;
  neuralStats?: () => NeuralStats;
}

export interface SystemStatus {
  health: Health;
  /** Percentages, plus the 1-minute load average. */
  performance: { cpu: number; memory: number; disk: number; load1: number };
  swarms: { active: number; agents: number };
  neural: NeuralStats;
  predictions: Prediction[];
  /** ms since the engine started. */
  uptime: number;
  measuredAt: number;
}

export interface SystemMetrics {
  cpu: HostSample['cpu'];
  memory: HostSample['memory'];
  network: HostSample['network'];
  disk: HostSample['disk'];
  process: HostSample['process'];
  swarmCoordination: { efficiency: number };
  measuredAt: number;
}

/** What the optimizer reads: the latest sample and what sampling itself costs. */
export interface SystemMeasurement {
  sample: TimedSample;
  settings: SystemSettings;
  /** CPU time one sampling tick takes (an upper bound: it includes work interleaved while awaiting I/O); null before the first. */
  samplingCpuMs: number | null;
}

export function thresholdsOf(s: SystemSettings): Record<Watched, Thresholds> {
  return {
    cpu: { warning: s.cpuWarning, critical: s.cpuCritical },
    memory: { warning: s.memoryWarning, critical: s.memoryCritical },
    disk: { warning: s.diskWarning, critical: s.diskCritical },
  };
}

function policyOf(s: SystemSettings): AlertPolicy {
  return { thresholds: thresholdsOf(s), hysteresis: s.alertHysteresis, minDurationMs: s.alertMinDurationMs };
}

/**
 * The system engine: samples the host on the real clock, keeps a bounded history,
 * raises threshold alerts with recovery, projects trends, and publishes
 * `system:status` every 5 s and `system:metrics` every 10 s. Every number is measured.
 */
export class SystemEngine implements Engine {
  private readonly sampler: Sampler;
  private readonly settings: SettingsSource<SystemSettings>;
  private readonly swarmStats: () => SwarmStats;
  private readonly neuralStats: () => NeuralStats;
  private readonly store: AlertStore;
  private readonly metricsHistory: MetricsHistory;
  private readonly monitor = new AlertMonitor();
  private latest: TimedSample | null = null;
  private recent: TimedSample[] = [];
  private current = new Map<string, Prediction>();
  private readonly predictionSent = new Map<string, number>();
  private samplingCpuMs: number | null = null;
  private inFlight: Promise<void> | null = null;
  private timers: TimerHandle[] = [];
  private sampleTimer: TimerHandle | undefined;
  private sampleIntervalMs = 0;
  private unsubscribe: (() => void) | null = null;
  private startedAt: number;
  private stopped = false;

  constructor(
    private readonly ctx: EngineContext,
    options: SystemEngineOptions,
  ) {
    this.sampler = options.sampler;
    this.settings = options.settings ?? staticSettings(defaultsOf('system'));
    this.swarmStats = options.swarmStats ?? (() => ({ active: 0, agents: 0, efficiency: 0 }));
    this.neuralStats = options.neuralStats ?? (() => ({ activeNetworks: 0, trainingRuns: 0 }));
    this.store = new AlertStore(ctx.db);
    this.metricsHistory = new MetricsHistory(ctx.db);
    this.startedAt = ctx.realClock.now();
  }

  start(): void {
    const clock = this.ctx.realClock;
    this.stopped = false;
    this.startedAt = clock.now();
    this.store.resolveStale(this.startedAt);
    this.scheduleSampling(this.settings.get().sampleIntervalMs);
    this.timers.push(
      clock.setInterval(() => this.publishStatus(), STATUS_INTERVAL_MS),
      clock.setInterval(() => this.publishMetrics(), METRICS_INTERVAL_MS),
    );
    this.unsubscribe = this.settings.subscribe((s) => this.applySettings(s));
    void this.tick();
  }

  stop(): void {
    this.stopped = true;
    this.ctx.realClock.clearInterval(this.sampleTimer);
    this.sampleTimer = undefined;
    for (const t of this.timers) this.ctx.realClock.clearInterval(t);
    this.timers = [];
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** The latest status (as `system:status` carries it), measuring at once when there is no sample yet. */
  async getStatus(): Promise<SystemStatus & { timestamp: number }> {
    await this.latestSample();
    return this.latestStatus()!;
  }

  /** The latest status without measuring (the snapshot a new `system` subscriber gets); null before the first sample. */
  latestStatus(): (SystemStatus & { timestamp: number }) | null {
    return this.latest && { ...this.buildStatus(this.latest), timestamp: this.ctx.realClock.now() };
  }

  async recommendations(filter: RecommendationFilter = {}): Promise<{ recommendations: Recommendation[]; measuredAt: number }> {
    const sample = await this.latestSample();
    const settings = this.settings.get();
    const list = recommend({
      sample,
      settings,
      thresholds: thresholdsOf(settings),
      levels: this.levels(),
      predictions: [...this.current.values()],
      rssTrend: fitSeries(this.trendWindow(settings), (s) => s.process.rss),
      swarms: this.swarmStats(),
    });
    return { recommendations: filterRecommendations(list, filter), measuredAt: sample.ts };
  }

  async measurement(): Promise<SystemMeasurement> {
    return { sample: await this.latestSample(), settings: this.settings.get(), samplingCpuMs: this.samplingCpuMs };
  }

  predictions(): Prediction[] {
    return [...this.current.values()];
  }

  /** Stored history from `sinceMs` (epoch ms) until now, averaged into at most `maxPoints` buckets. */
  history(sinceMs: number, maxPoints = 300): HistoryPoint[] {
    return this.metricsHistory.range(sinceMs, this.ctx.realClock.now(), maxPoints);
  }

  alerts(query: AlertQuery = {}): StoredAlert[] {
    return this.store.list(query);
  }

  acknowledgeAlert(id: string, actor: string): StoredAlert {
    const alert = this.store.acknowledge(id, actor, this.ctx.realClock.now());
    if (!alert) throw new ProtocolError('not_found', `no alert ${id}`);
    return alert;
  }

  /** One sampling tick; concurrent callers share it. */
  private tick(): Promise<void> {
    this.inFlight ??= this.measure()
      .catch((err: unknown) => this.ctx.log.error({ err }, 'system sampling failed'))
      .finally(() => {
        this.inFlight = null;
      });
    return this.inFlight;
  }

  private async latestSample(): Promise<TimedSample> {
    if (!this.latest) await this.tick();
    if (!this.latest) throw new ProtocolError('unavailable', 'the host could not be measured yet');
    return this.latest;
  }

  private async measure(): Promise<void> {
    const cpuBefore = process.cpuUsage();
    const raw = await this.sampler.sample();
    if (this.stopped) return;
    const settings = this.settings.get();
    const sample: TimedSample = { ...raw, ts: this.ctx.realClock.now() };
    this.latest = sample;
    this.recent.push(sample);
    this.trimRecent(settings);
    this.metricsHistory.add(sample, settings.historyRetentionMs);
    this.evaluateAlerts(sample, sample.ts, settings);
    this.evaluatePredictions(sample, settings);
    const used = process.cpuUsage(cpuBefore);
    const ms = (used.user + used.system) / 1000;
    this.samplingCpuMs = this.samplingCpuMs === null ? ms : this.samplingCpuMs * 0.8 + ms * 0.2;
  }

  private applySettings(settings: SystemSettings): void {
    this.scheduleSampling(settings.sampleIntervalMs);
    this.trimRecent(settings);
    // Thresholds apply at once: the latest measurement is judged against them now.
    if (this.latest) {
      this.evaluateAlerts(this.latest, this.ctx.realClock.now(), settings);
      this.evaluatePredictions(this.latest, settings);
    }
  }

  private scheduleSampling(intervalMs: number): void {
    if (this.stopped || (this.sampleTimer && intervalMs === this.sampleIntervalMs)) return;
    this.sampleIntervalMs = intervalMs;
    this.ctx.realClock.clearInterval(this.sampleTimer);
    this.sampleTimer = this.ctx.realClock.setInterval(() => void this.tick(), intervalMs);
  }

  private trimRecent(settings: SystemSettings): void {
    const newest = this.recent.at(-1)?.ts;
    if (newest === undefined) return;
    const from = newest - settings.predictionWindowMs;
    let drop = Math.max(0, this.recent.length - MAX_RECENT);
    while (drop < this.recent.length && this.recent[drop]!.ts < from) drop++;
    if (drop > 0) this.recent = this.recent.slice(drop);
  }

  private trendWindow(settings: SystemSettings): TimedSample[] {
    const newest = this.recent.at(-1)?.ts ?? 0;
    return this.recent.filter((s) => s.ts >= newest - settings.predictionWindowMs);
  }

  private levels(): Record<Watched, Level> {
    return { cpu: this.monitor.level('cpu'), memory: this.monitor.level('memory'), disk: this.monitor.level('disk') };
  }

  private evaluateAlerts(sample: TimedSample, now: number, settings: SystemSettings): void {
    const policy = policyOf(settings);
    for (const c of WATCHED) {
      const change = this.monitor.observe(c, sample[c].usage, now, policy);
      if (change) this.raise(change, now, policy);
    }
  }

  private raise(change: LevelChange, now: number, policy: AlertPolicy): void {
    const id = randomUUID();
    const severity = change.to === 'normal' ? 'info' : change.to;
    const message = describeChange(change, policy);
    const value = round(change.value, 2);
    const resolves = this.store.add({ id, ts: now, severity, component: change.component, message, value, threshold: change.threshold });
    this.ctx.bus.publish('system:alert', {
      id,
      severity,
      message,
      component: change.component,
      value,
      threshold: change.threshold,
      level: change.to,
      previousLevel: change.from,
      recovered: change.to === 'normal',
      resolves,
    });
  }

  private evaluatePredictions(sample: TimedSample, settings: SystemSettings): void {
    const window = this.trendWindow(settings);
    const thresholds = thresholdsOf(settings);
    const policy = { horizonMs: settings.predictionHorizonMs, minConfidence: settings.predictionMinConfidence };
    const current = new Map<string, Prediction>();
    for (const c of WATCHED) {
      const p = predict(
        c,
        fitSeries(window, (s) => s[c].usage),
        sample,
        thresholds[c],
        policy,
      );
      if (!p) continue;
      current.set(p.id, p);
      const sent = this.predictionSent.get(p.id);
      if (sent !== undefined && sample.ts - sent < PREDICTION_REPEAT_MS) continue;
      this.predictionSent.set(p.id, sample.ts);
      this.ctx.bus.publish('system:prediction', { ...p });
    }
    this.current = current;
  }

  private buildStatus(sample: TimedSample): SystemStatus {
    const settings = this.settings.get();
    const swarms = this.swarmStats();
    return {
      health: assessHealth(sample, this.levels(), thresholdsOf(settings)),
      performance: {
        cpu: round(sample.cpu.usage, 2),
        memory: round(sample.memory.usage, 2),
        disk: round(sample.disk.usage, 2),
        load1: round(sample.cpu.load1, 2),
      },
      swarms: { active: swarms.active, agents: swarms.agents },
      neural: this.neuralStats(),
      predictions: [...this.current.values()],
      uptime: this.ctx.realClock.now() - this.startedAt,
      measuredAt: sample.ts,
    };
  }

  private buildMetrics(sample: TimedSample): SystemMetrics {
    return {
      cpu: { ...sample.cpu, usage: round(sample.cpu.usage, 2) },
      memory: { ...sample.memory, usage: round(sample.memory.usage, 2) },
      network: { rxBytesPerSec: round(sample.network.rxBytesPerSec, 1), txBytesPerSec: round(sample.network.txBytesPerSec, 1) },
      disk: { ...sample.disk, usage: round(sample.disk.usage, 2) },
      process: { rss: sample.process.rss, cpu: round(sample.process.cpu, 2) },
      swarmCoordination: { efficiency: this.swarmStats().efficiency },
      measuredAt: sample.ts,
    };
  }

  private publishStatus(): void {
    if (this.latest) this.ctx.bus.publish('system:status', { ...this.buildStatus(this.latest) });
  }

  private publishMetrics(): void {
    if (this.latest) this.ctx.bus.publish('system:metrics', { ...this.buildMetrics(this.latest) });
  }
}
