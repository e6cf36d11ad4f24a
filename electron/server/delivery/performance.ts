import type { Clock, TimerHandle } from '../../engines/clock';

export type Quality = 'excellent' | 'good' | 'fair' | 'poor';

export function qualityOf(latencyMs: number): Quality {
  if (latencyMs < 50) return 'excellent';
  if (latencyMs < 150) return 'good';
  if (latencyMs < 400) return 'fair';
  return 'poor';
}

export interface PerformanceReport {
  latency: number;
  eventsPerSecond: number;
  bandwidth: number;
  quality: Quality;
}

/**
 * What one socket was really sent and how fast it answers: events and bytes
 * counted at emit time, latency from the last measured round trip.
 */
export class PerformanceTracker {
  private events = 0;
  private bytes = 0;
  private windowStart: number;
  private timer: TimerHandle | undefined;
  latencyMs = 0;

  constructor(
    private readonly clock: Clock,
    readonly options: { trackLatency: boolean; trackBandwidth: boolean; reportInterval: number },
    private readonly report: (r: PerformanceReport) => void,
  ) {
    this.windowStart = clock.now();
    this.timer = clock.setInterval(() => this.emit(), options.reportInterval);
  }

  count(bytes: number): void {
    this.events++;
    this.bytes += bytes;
  }

  private emit(): void {
    const now = this.clock.now();
    const seconds = Math.max(0.001, (now - this.windowStart) / 1000);
    this.report({
      latency: this.options.trackLatency ? Math.round(this.latencyMs * 100) / 100 : 0,
      eventsPerSecond: Math.round((this.events / seconds) * 100) / 100,
      bandwidth: this.options.trackBandwidth ? this.bytes / seconds / 1_000_000 : 0,
      quality: qualityOf(this.latencyMs),
    });
    this.events = 0;
    this.bytes = 0;
    this.windowStart = now;
  }

  dispose(): void {
    this.clock.clearInterval(this.timer);
    this.timer = undefined;
  }
}
