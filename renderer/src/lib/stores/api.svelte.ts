import type { EventPayload } from '../../../../shared/protocol/events';
import { onEvent } from '../server-events';
import { loggedEvents } from '../event-history';
import { connection } from './connection.svelte';
import { LiveSeries } from '../series.svelte';

/** Feed entries: what the event says, keyed and placed in time. */
type Entry = { key: string; at: number };
export type SlowRequest = Entry & Pick<EventPayload<'api:slow:request'>, 'endpoint' | 'method' | 'status' | 'duration' | 'threshold' | 'suppressed'>;
export type RateLimitNotice = Entry & Pick<EventPayload<'api:rate:limit'>, 'clientId' | 'currentRequests' | 'limit' | 'window' | 'severity'>;
export type Optimization = Entry & Pick<EventPayload<'api:optimization:applied'>, 'type' | 'expectedImprovement'>;

const AGE = 24 * 3_600_000;
const FEED = 200;

class ApiStore {
  rps = new LiveSeries(AGE, 20_000);
  avgLatency = new LiveSeries(AGE, 20_000);
  p95Latency = new LiveSeries(AGE, 20_000);
  errorRate = new LiveSeries(AGE, 20_000);
  connections = new LiveSeries(AGE, 20_000);
  metricsAt = $state<number | null>(null);
  last = $state.raw<EventPayload<'api:metrics'> | null>(null);
  slow = $state.raw<SlowRequest[]>([]);
  rateLimits = $state.raw<RateLimitNotice[]>([]);
  optimizations = $state.raw<Optimization[]>([]);
  #seq = 0;

  constructor() {
    onEvent('api:metrics', (p) => this.#metrics(p));
    // Charts start from the server's logged history, not empty (points with the same moment merge).
    connection.onConnected(() => void this.#loadHistory());
    this.#listen();
  }

  async #loadHistory(): Promise<void> {
    if (!connection.can('read:api')) return;
    try {
      for (const e of await loggedEvents({ channels: ['api'], limit: 1000 })) if (e.event === 'api:metrics') this.#metrics(e.data as EventPayload<'api:metrics'>);
    } catch {
      // No history to show (an older server): the live stream fills the charts.
    }
  }

  #metrics(p: EventPayload<'api:metrics'>): void {
    const t = p.timestamp;
    this.rps.push(t, p.rps);
    this.avgLatency.push(t, p.avgResponseTime);
    this.p95Latency.push(t, p.p95ResponseTime);
    // errorRate is a fraction of requests; the chart shows percent.
    this.errorRate.push(t, p.errorRate * 100);
    this.connections.push(t, p.concurrentConnections);
    if (!this.last || t >= this.last.timestamp) {
      this.last = p;
      this.metricsAt = Date.now();
    }
  }

  #listen(): void {
    onEvent('api:slow:request', (p) => {
      this.slow = [
        {
          key: `s${++this.#seq}`,
          at: p.timestamp,
          endpoint: p.endpoint,
          method: p.method,
          status: p.status,
          duration: p.duration,
          threshold: p.threshold,
          suppressed: p.suppressed,
        },
        ...this.slow,
      ].slice(0, FEED);
    });
    onEvent('api:rate:limit', (p) => {
      this.rateLimits = [
        { key: `r${++this.#seq}`, at: p.timestamp, clientId: p.clientId, currentRequests: p.currentRequests, limit: p.limit, window: p.window, severity: p.severity },
        ...this.rateLimits,
      ].slice(0, FEED);
    });
    onEvent('api:optimization:applied', (p) => {
      this.optimizations = [{ key: `o${++this.#seq}`, at: p.timestamp, type: p.type, expectedImprovement: p.expectedImprovement }, ...this.optimizations].slice(0, FEED);
    });
  }
}

export const apiStore = new ApiStore();
