import { defaultsOf, staticSettings, type ApiSettings, type SettingsSource } from '../config/schemas';
import type { TimerHandle } from '../clock';
import type { Engine, EngineContext } from '../context';
import { RequestWindow, type WindowStats } from './request-window';

/** docs/protocol.md §9: `api:metrics` every 5 s. */
const API_METRICS_INTERVAL_MS = 5000;
/** Beyond this many `api:slow:request` events in a second the rest are counted, not sent. */
const MAX_SLOW_EVENTS_PER_SECOND = 10;

export interface RequestRecord {
  /** The route pattern (`/api/swarms/:id`) or the socket command name, never a raw URL. */
  endpoint: string;
  method: string;
  /** HTTP status, or for socket commands the status their error code maps to (200 on success). */
  status: number;
  durationMs: number;
}

export interface ApiMetricsOptions {
  settings?: SettingsSource<ApiSettings>;
  /** The sliding window the figures are measured over. */
  windowMs?: number;
}

export type ApiMetrics = WindowStats & { concurrentConnections: number; windowMs: number };

/**
 * Measures the API as the server sees it: every REST request and socket command is
 * recorded with its real duration; `api:metrics` summarises the window and
 * `api:slow:request` flags requests over the configured threshold.
 */
export class ApiMetricsEngine implements Engine {
  private readonly settings: SettingsSource<ApiSettings>;
  private readonly windowMs: number;
  private window: RequestWindow;
  private connections = 0;
  private timer: TimerHandle | undefined;
  private slowSecond = -1;
  private slowSent = 0;
  private slowSuppressed = 0;

  constructor(
    private readonly ctx: EngineContext,
    options: ApiMetricsOptions = {},
  ) {
    this.settings = options.settings ?? staticSettings(defaultsOf('api'));
    this.windowMs = options.windowMs ?? 10_000;
    this.window = new RequestWindow(this.windowMs, ctx.realClock.now());
  }

  start(): void {
    this.window = new RequestWindow(this.windowMs, this.ctx.realClock.now());
    this.timer = this.ctx.realClock.setInterval(() => this.ctx.bus.publish('api:metrics', { ...this.snapshot() }), API_METRICS_INTERVAL_MS);
  }

  stop(): void {
    this.ctx.realClock.clearInterval(this.timer);
    this.timer = undefined;
  }

  recordRequest(r: RequestRecord): void {
    const now = this.ctx.realClock.now();
    const duration = Math.max(0, r.durationMs);
    const threshold = this.settings.get().slowRequestThresholdMs;
    const slow = duration > threshold;
    this.window.add(now, duration, r.status, slow);
    if (slow) this.reportSlow(r, duration, threshold, now);
  }

  setConnections(n: number): void {
    this.connections = n;
  }

  snapshot(): ApiMetrics {
    const s = this.window.stats(this.ctx.realClock.now());
    return {
      ...s,
      rps: round(s.rps, 3),
      avgResponseTime: round(s.avgResponseTime, 2),
      p95ResponseTime: round(s.p95ResponseTime, 2),
      errorRate: round(s.errorRate, 4),
      serverErrorRate: round(s.serverErrorRate, 4),
      concurrentConnections: this.connections,
      windowMs: this.windowMs,
    };
  }

  private reportSlow(r: RequestRecord, duration: number, threshold: number, now: number): void {
    const second = Math.floor(now / 1000);
    if (second !== this.slowSecond) {
      this.slowSecond = second;
      this.slowSent = 0;
    }
    if (this.slowSent >= MAX_SLOW_EVENTS_PER_SECOND) {
      this.slowSuppressed++;
      return;
    }
    this.slowSent++;
    const suppressed = this.slowSuppressed;
    this.slowSuppressed = 0;
    this.ctx.bus.publish('api:slow:request', {
      endpoint: r.endpoint,
      method: r.method,
      status: r.status,
      duration: round(duration, 2),
      threshold,
      severity: 'warning',
      ...(suppressed > 0 ? { suppressed } : {}),
    });
  }
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
