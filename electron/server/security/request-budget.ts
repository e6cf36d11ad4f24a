/**
 * Per-client request budget over a sliding window (docs/protocol.md §6). Keys are token
 * ids, or addresses for requests without a token.
 */
export interface BudgetResult {
  allowed: boolean;
  count: number;
  limit: number;
  retryAfterMs: number;
  /** Set on the request that first passes 80 % of the budget in a window. */
  warning: boolean;
}

export class RequestBudget {
  private readonly hits = new Map<string, { times: number[]; warned: boolean; limited: boolean }>();

  constructor(
    private limit: number,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  take(key: string): BudgetResult & { firstLimited: boolean } {
    const now = this.now();
    let entry = this.hits.get(key);
    if (!entry) this.hits.set(key, (entry = { times: [], warned: false, limited: false }));
    const cutoff = now - this.windowMs;
    let drop = 0;
    while (drop < entry.times.length && entry.times[drop]! <= cutoff) drop++;
    if (drop) entry.times.splice(0, drop);
    if (entry.times.length < this.limit * 0.8) entry.warned = false;
    if (entry.times.length < this.limit) entry.limited = false;

    if (entry.times.length >= this.limit) {
      const firstLimited = !entry.limited;
      entry.limited = true;
      return { allowed: false, count: entry.times.length, limit: this.limit, retryAfterMs: entry.times[0]! + this.windowMs - now, warning: false, firstLimited };
    }
    entry.times.push(now);
    const warning = !entry.warned && entry.times.length >= this.limit * 0.8;
    if (warning) entry.warned = true;
    return { allowed: true, count: entry.times.length, limit: this.limit, retryAfterMs: 0, warning, firstLimited: false };
  }

  /** How long until `key` may make a request again without charging it; 0 when it may now. */
  blockedFor(key: string): number {
    const entry = this.hits.get(key);
    if (!entry || entry.times.length < this.limit) return 0;
    const cutoff = this.now() - this.windowMs;
    const inWindow = entry.times.filter((t) => t > cutoff);
    return inWindow.length >= this.limit ? inWindow[inWindow.length - this.limit]! + this.windowMs - this.now() : 0;
  }

  /** Applies a new limit at once (the `api.rateLimitPerMinute` setting changed). */
  setLimit(limit: number): void {
    this.limit = limit;
  }

  /** Forgets idle clients so the map stays bounded. */
  sweep(): void {
    const cutoff = this.now() - this.windowMs;
    for (const [key, entry] of this.hits) if ((entry.times.at(-1) ?? 0) <= cutoff) this.hits.delete(key);
  }
}
