import type { EventPayload, ServerEventName } from '../../../shared/protocol/events';
import type { ZenFlowServerSocket } from '../../../shared/protocol/socket-types';
import { CHANNELS, type Channel } from '../../../shared/protocol/channels';
import type { Scope } from '../../../shared/protocol/permissions';
import type { Clock } from '../../engines/clock';
import { familyKey, type TokenClaims } from '../auth/token-service';
import type { BatchGroup, BatchGroups } from '../delivery/batch-groups';
import { Batcher, type BatchConfig } from '../delivery/batcher';
import { Coalescer } from '../delivery/coalescer';
import { PerformanceTracker } from '../delivery/performance';
import type { Subscriptions } from '../delivery/subscriptions';
import type { Deadline } from './deadlines';

type Payload = Record<string, unknown>;

/** `read:<channel>` made once: `canRead` runs for every subscriber of every event. */
const READ_SCOPE = Object.fromEntries(CHANNELS.map((c) => [c, `read:${c}`])) as Record<Channel, Scope>;

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
  // Made on first use: most sockets never rate-limit, and an idle connection should cost little.
  private coalescers: Map<string, Coalescer> | null = null;
  private rateLimits: Map<string, number> | null = null;
  private perf: PerformanceTracker | null = null;
  /** The next auth moment for the current token (owned by the socket server's deadlines). */
  authDeadline: Deadline<SocketSession> | null = null;
  authStage: 'offer' | 'expire' = 'offer';
  /** The shared batch this socket's batched events go to instead of its own (see BatchGroups). */
  private group: BatchGroup | null = null;
  /** While its missed events are replayed the socket batches on its own. */
  private replaying = false;

  constructor(
    readonly socket: ZenFlowServerSocket,
    public claims: TokenClaims,
    public scopes: ReadonlySet<Scope>,
    private readonly clock: Clock,
    private readonly groups?: BatchGroups,
  ) {}

  get id(): string {
    return this.socket.id;
  }

  /** Every token of a family (refreshed, granted) shares one request budget. */
  get budgetKey(): string {
    return familyKey(this.claims.family);
  }

  canRead(channel: Channel): boolean {
    return this.scopes.has(READ_SCOPE[channel]);
  }

  /** True when this socket shapes `event` itself (rate limit or batching), so it can't share a broadcast frame. */
  shapes(event: string): boolean {
    return (this.rateLimits?.has(event) ?? false) || (this.batcher?.matches(event) ?? false);
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
  emit<E extends ServerEventName>(event: E, payload: EventPayload<E>): void {
    this.send(event, payload);
  }

  /** The delivery path's emit: its events were checked when published on the bus. */
  private send(event: string, payload: unknown): void {
    (this.socket as unknown as { emit(event: string, payload: unknown): void }).emit(event, payload);
    if (this.perf) this.perf.count(JSON.stringify(payload).length);
  }

  /** Counts a frame sent to this socket by the shared broadcast path. */
  countBroadcast(bytes: number): void {
    this.perf?.count(bytes);
  }

  configureBatching(enabled: boolean, config: BatchConfig): void {
    this.leaveGroup();
    this.batcher?.flush();
    this.batcher?.dispose();
    this.batcher = enabled ? new Batcher(config, this.clock, (p) => this.emit('batch', p)) : null;
    this.regroup();
  }

  /** The group batch the pipeline adds this socket's batched events to, when it shares one. */
  get batchGroup(): BatchGroup | null {
    return this.group;
  }

  /** Live events are held while a replay runs; the socket batches on its own until `replayed`. */
  replayStarted(): void {
    this.replaying = true;
    this.leaveGroup();
  }

  replayed(): void {
    this.replaying = false;
    this.regroup();
  }

  /**
   * Joins the batch group of this socket's shape — batching settings, subscriptions, read
   * permissions — or leaves it when sharing no longer holds (a rate limit, a replay). Call after
   * any of those change.
   */
  regroup(): void {
    if (!this.groups) return;
    const key = this.batcher && !this.rateLimits?.size && !this.replaying ? this.shapeKey(this.batcher.config) : null;
    if (key === (this.group?.key ?? null)) return;
    this.leaveGroup();
    if (key === null) return;
    // What this socket batched on its own goes first.
    this.batcher!.flush();
    this.group = this.groups.join(this, key, this.batcher!.config);
  }

  private leaveGroup(): void {
    if (!this.group) return;
    this.groups!.leave(this, this.group, true);
    this.group = null;
  }

  private shapeKey(config: BatchConfig): string {
    const channels = CHANNELS.filter((c) => this.canRead(c) && this.subscriptions.has(c));
    return JSON.stringify([config.batchSize, config.batchTimeout, config.categories, channels.map((c) => [c, this.subscriptions.get(c)])]);
  }

  get batching(): BatchConfig | null {
    return this.batcher?.config ?? null;
  }

  setRateLimit(event: string, maxPerSecond: number | null): void {
    this.coalescers?.get(event)?.dispose();
    this.coalescers?.delete(event);
    if (maxPerSecond === null) this.rateLimits?.delete(event);
    else (this.rateLimits ??= new Map()).set(event, maxPerSecond);
    this.regroup();
  }

  get rateLimitConfig(): Record<string, { maxPerSecond: number }> {
    return Object.fromEntries([...(this.rateLimits ?? [])].map(([e, n]) => [e, { maxPerSecond: n }]));
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

  dispose(): void {
    if (this.group) this.groups!.leave(this, this.group, false);
    this.group = null;
    this.batcher?.dispose();
    for (const c of this.coalescers?.values() ?? []) c.dispose();
    this.coalescers = null;
    this.perf?.dispose();
  }

  private coalescerFor(event: string): Coalescer | null {
    const limit = this.rateLimits?.get(event);
    if (limit === undefined) return null;
    this.coalescers ??= new Map();
    let c = this.coalescers.get(event);
    if (!c) {
      c = new Coalescer(limit, this.clock, (p) => this.afterRateLimit(event, p));
      this.coalescers.set(event, c);
    }
    return c;
  }

  /**
   * Sends what this socket's batch holds now. An event that is not batched must not overtake
   * batched ones published before it: a socket sees its events in log order.
   */
  flushHeldBatch(): void {
    if (this.group) {
      if (this.group.holding) this.group.flush();
    } else if (this.batcher?.holding) this.batcher.flush();
  }

  private afterRateLimit(event: string, payload: Payload): void {
    if (!this.batcher?.matches(event)) {
      this.flushHeldBatch();
      return this.send(event, payload);
    }
    if (!this.group) return this.batcher.add(event, payload);
    // An event for this socket alone (a snapshot on subscribing): after what the group holds, as a batch of its own.
    this.group.flush();
    this.send('batch', { events: [{ event, data: payload }], timestamp: this.clock.now() });
  }
}
