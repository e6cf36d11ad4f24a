/**
 * Token buckets by key: a rate with a burst, for what a client may make the server take in before
 * anything else can refuse it (bytes to parse, connections to accept).
 */
export class KeyedTokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number; burst: number }>();

  constructor(
    private readonly perSecond: number,
    private readonly defaultBurst: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Spends `amount` of `key`'s allowance; returns how long until it is paid back (0: within the allowance).
   * `burst` overrides the default for keys that deserve less.
   */
  spend(key: string, amount: number, burst = this.defaultBurst): number {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: now, burst };
    bucket.tokens = Math.min(bucket.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond) - amount;
    bucket.at = now;
    this.buckets.set(key, bucket);
    return bucket.tokens >= 0 ? 0 : Math.ceil((-bucket.tokens / this.perSecond) * 1000);
  }

  /** Whether `key` is still paying back an earlier overdraft. */
  owes(key: string): boolean {
    const b = this.buckets.get(key);
    return b !== undefined && b.tokens + ((this.now() - b.at) / 1000) * this.perSecond < 0;
  }

  /** Forgets full buckets, so the map holds only clients that spent recently. */
  sweep(): void {
    const now = this.now();
    for (const [key, b] of this.buckets) if (b.tokens + ((now - b.at) / 1000) * this.perSecond >= b.burst) this.buckets.delete(key);
  }
}
