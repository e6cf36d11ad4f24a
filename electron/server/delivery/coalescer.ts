import type { Clock, TimerHandle } from '../../engines/clock';

/**
 * Per-socket, per-event rate limit with trailing-edge coalescing: within the window
 * only the newest event is kept and sent when the window allows, carrying
 * `coalesced: n` — the number of events it stands for.
 */
export class Coalescer {
  private readonly intervalMs: number;
  private lastSentAt = -Infinity;
  private pending: Record<string, unknown> | null = null;
  private pendingCount = 0;
  private timer: TimerHandle | undefined;

  constructor(
    maxPerSecond: number,
    private readonly clock: Clock,
    private readonly send: (payload: Record<string, unknown>) => void,
  ) {
    this.intervalMs = 1000 / maxPerSecond;
  }

  offer(payload: Record<string, unknown>): void {
    const now = this.clock.now();
    if (this.pending === null && now - this.lastSentAt >= this.intervalMs) {
      this.lastSentAt = now;
      this.send(payload);
      return;
    }
    this.pending = payload;
    this.pendingCount++;
    this.timer ??= this.clock.setTimeout(() => this.flush(), this.lastSentAt + this.intervalMs - now);
  }

  private flush(): void {
    this.timer = undefined;
    if (this.pending === null) return;
    const payload = { ...this.pending, coalesced: this.pendingCount };
    this.pending = null;
    this.pendingCount = 0;
    this.lastSentAt = this.clock.now();
    this.send(payload);
  }

  dispose(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = null;
  }
}
