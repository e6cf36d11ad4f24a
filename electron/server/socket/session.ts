import type { Socket } from 'socket.io';
import type { Channel } from '../../../shared/protocol/channels';
import type { Scope } from '../../../shared/protocol/permissions';
import type { Clock, TimerHandle } from '../../engines/clock';
import type { TokenClaims } from '../auth/token-service';
import { Batcher, type BatchConfig } from '../delivery/batcher';
import { Coalescer } from '../delivery/coalescer';
import { PerformanceTracker } from '../delivery/performance';
import type { Subscriptions } from '../delivery/subscriptions';

type Payload = Record<string, unknown>;

/**
 * Everything the server knows about one connected socket: who it is, what it may
 * read, what it subscribed to, and its delivery settings (rate limits, batching,
 * performance tracking). The slow delivery path (per-socket shaping) lives here.
 */
export class SocketSession {
  readonly subscriptions: Subscriptions = new Map();
  /** The log seq when each subscribed channel's subscription began: its later events have gone out live (resume skips them). */
  readonly liveSince = new Map<Channel, number>();
  private batcher: Batcher | null = null;
  private readonly coalescers = new Map<string, Coalescer>();
  private readonly rateLimits = new Map<string, number>();
  private perf: PerformanceTracker | null = null;
  private authTimers: TimerHandle[] = [];

  constructor(
    readonly socket: Socket,
    public claims: TokenClaims,
    public scopes: ReadonlySet<Scope>,
    private readonly clock: Clock,
  ) {}

  get id(): string {
    return this.socket.id;
  }

  /** Every token of a family (refreshed, granted) shares one request budget. */
  get budgetKey(): string {
    return `token:${this.claims.family}`;
  }

  canRead(channel: Channel): boolean {
    return this.scopes.has(`read:${channel}`);
  }

  /** True when this socket shapes `event` itself (rate limit or batching), so it can't share a broadcast frame. */
  shapes(event: string): boolean {
    return this.rateLimits.has(event) || (this.batcher?.matches(event) ?? false);
  }

  get tracksBandwidth(): boolean {
    return this.perf !== null;
  }

  /** Per-socket delivery: rate limit (coalescing), then batching, then emit. */
  deliver(event: string, payload: Payload): void {
    const coalescer = this.coalescerFor(event);
    if (coalescer) coalescer.offer(payload);
    else this.afterRateLimit(event, payload);
  }

  /** Sends a per-socket event directly (auth:*, ping, performance:metrics) — never batched or limited. */
  emit(event: string, payload: unknown): void {
    this.socket.emit(event, payload);
    if (this.perf) this.perf.count(JSON.stringify(payload).length);
  }

  /** Counts a frame sent to this socket by the shared broadcast path. */
  countBroadcast(bytes: number): void {
    this.perf?.count(bytes);
  }

  configureBatching(enabled: boolean, config: BatchConfig): void {
    this.batcher?.flush();
    this.batcher?.dispose();
    this.batcher = enabled ? new Batcher(config, this.clock, (p) => this.emit('batch', p)) : null;
  }

  get batching(): BatchConfig | null {
    return this.batcher?.config ?? null;
  }

  setRateLimit(event: string, maxPerSecond: number | null): void {
    this.coalescers.get(event)?.dispose();
    this.coalescers.delete(event);
    if (maxPerSecond === null) this.rateLimits.delete(event);
    else this.rateLimits.set(event, maxPerSecond);
  }

  get rateLimitConfig(): Record<string, { maxPerSecond: number }> {
    return Object.fromEntries([...this.rateLimits].map(([e, n]) => [e, { maxPerSecond: n }]));
  }

  enablePerformanceTracking(options: { trackLatency: boolean; trackBandwidth: boolean; reportInterval: number } | null): void {
    const latency = this.perf?.latencyMs ?? 0;
    this.perf?.dispose();
    this.perf = options ? new PerformanceTracker(this.clock, options, (r) => this.emit('performance:metrics', { ...r, timestamp: this.clock.now() })) : null;
    if (this.perf) this.perf.latencyMs = latency;
  }

  recordLatency(ms: number): void {
    if (this.perf) this.perf.latencyMs = ms;
  }

  /** Replaces the auth timers (refresh offer, expiry) for the current token. */
  setAuthTimers(timers: TimerHandle[]): void {
    this.clearAuthTimers();
    this.authTimers = timers;
  }

  private clearAuthTimers(): void {
    for (const t of this.authTimers) this.clock.clearTimeout(t);
    this.authTimers = [];
  }

  dispose(): void {
    this.clearAuthTimers();
    this.batcher?.dispose();
    for (const c of this.coalescers.values()) c.dispose();
    this.coalescers.clear();
    this.perf?.dispose();
  }

  private coalescerFor(event: string): Coalescer | null {
    const limit = this.rateLimits.get(event);
    if (limit === undefined) return null;
    let c = this.coalescers.get(event);
    if (!c) {
      c = new Coalescer(limit, this.clock, (p) => this.afterRateLimit(event, p));
      this.coalescers.set(event, c);
    }
    return c;
  }

  private afterRateLimit(event: string, payload: Payload): void {
    if (this.batcher?.matches(event)) this.batcher.add(event, payload);
    else this.emit(event, payload);
  }
}
