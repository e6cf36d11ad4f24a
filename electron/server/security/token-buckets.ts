/** How often spending also forgets full buckets, so the map holds only clients that spent recently. */
const SWEEP_EVERY_MS = 60_000;

type Bucket = { tokens: number; at: number; burst: number };

/**
 * Token buckets by key: a rate with a burst, for what a client may make the server take in before
 * anything else can refuse it (bytes to parse, connections to accept).
 */

export class KeyedTokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private sweptAt: number;

  constructor(
    private readonly perSecond: number,
    private readonly defaultBurst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.sweptAt = this.now();
  }

  /**
   * Spends `amount` of `key`'s allowance; returns how long until it is paid back (0: within the allowance).
   * `burst` overrides the default for keys that deserve less.
   */
  spend(key: string, amount: number, burst = this.defaultBurst): number {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: now, burst };
    bucket.tokens = this.level(bucket, now) - amount;
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (now - this.sweptAt >= SWEEP_EVERY_MS) this.sweep(now);
    return bucket.tokens >= 0 ? 0 : Math.ceil((-bucket.tokens / this.perSecond) * 1000);
  }

  /** Whether `key` is still paying back an earlier overdraft. */
  owes(key: string): boolean {
    const b = this.buckets.get(key);
    return b !== undefined && this.level(b, this.now()) < 0;
  }

  private sweep(now: number): void {
    this.sweptAt = now;
    for (const [key, b] of this.buckets) if (this.level(b, now) >= b.burst) this.buckets.delete(key);
  }

  /** What a bucket holds at `now`: refilled at the rate, never past its burst. */
  private level(b: Bucket, now: number): number {
    return Math.min(b.burst, b.tokens + ((now - b.at) / 1000) * this.perSecond);
  }
}
