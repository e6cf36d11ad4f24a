/** Request statistics over a sliding time window: exact counts per second, plus recent durations for percentiles. */
export interface WindowStats {
  requests: number;
  rps: number;
  avgResponseTime: number;
  p95ResponseTime: number;
  /** Share of requests answered with status ≥ 400 (0–1). */
  errorRate: number;
  /** Share answered with status ≥ 500 (0–1). */
  serverErrorRate: number;
  slowRequests: number;
}

interface Bucket {
  count: number;
  errors: number;
  serverErrors: number;
  slow: number;
  sumMs: number;
}

/** Percentiles come from the latest this-many durations; counts stay exact beyond it. */
const DURATION_CAPACITY = 20_000;

export class RequestWindow {
  private readonly buckets = new Map<number, Bucket>();
  private readonly times = new Float64Array(DURATION_CAPACITY);
  private readonly durations = new Float64Array(DURATION_CAPACITY);
  private next = 0;
  private size = 0;

  /** `startedAt` bounds the window while the engine has run for less than `windowMs`. */
  constructor(
    private readonly windowMs: number,
    private readonly startedAt: number,
  ) {}

  add(t: number, durationMs: number, status: number, slow: boolean): void {
    const key = Math.floor(t / 1000);
    let b = this.buckets.get(key);
    if (!b) {
      this.buckets.set(key, (b = { count: 0, errors: 0, serverErrors: 0, slow: 0, sumMs: 0 }));
      this.prune(t);
    }
    b.count++;
    b.sumMs += durationMs;
    if (status >= 400) b.errors++;
    if (status >= 500) b.serverErrors++;
    if (slow) b.slow++;
    this.times[this.next] = t;
    this.durations[this.next] = durationMs;
    this.next = (this.next + 1) % DURATION_CAPACITY;
    this.size = Math.min(this.size + 1, DURATION_CAPACITY);
  }

  /**
   * The window runs from the start of the second `windowMs` before `now` (bucket
   * granularity) or from `startedAt` if later; rates divide by that span, at least 1 s.
   */
  stats(now: number): WindowStats {
    this.prune(now);
    const fromKey = Math.floor((now - this.windowMs) / 1000);
    const from = Math.max(fromKey * 1000, this.startedAt);
    let count = 0;
    let errors = 0;
    let serverErrors = 0;
    let slow = 0;
    let sumMs = 0;
    for (const [key, b] of this.buckets) {
      if (key < fromKey) continue;
      count += b.count;
      errors += b.errors;
      serverErrors += b.serverErrors;
      slow += b.slow;
      sumMs += b.sumMs;
    }
    const seconds = Math.max(now - from, 1000) / 1000;
    return {
      requests: count,
      rps: count / seconds,
      avgResponseTime: count > 0 ? sumMs / count : 0,
      p95ResponseTime: this.percentile(0.95, fromKey * 1000),
      errorRate: count > 0 ? errors / count : 0,
      serverErrorRate: count > 0 ? serverErrors / count : 0,
      slowRequests: slow,
    };
  }

  /** Nearest-rank percentile of the durations recorded since `from`. */
  private percentile(p: number, from: number): number {
    const values: number[] = [];
    for (let i = 0; i < this.size; i++) if (this.times[i]! >= from) values.push(this.durations[i]!);
    if (values.length === 0) return 0;
    values.sort((a, b) => a - b);
    return values[Math.max(0, Math.ceil(p * values.length) - 1)]!;
  }

  private prune(now: number): void {
    const fromKey = Math.floor((now - this.windowMs) / 1000);
    for (const key of this.buckets.keys()) {
      if (key >= fromKey) break;
      this.buckets.delete(key);
    }
  }
}
