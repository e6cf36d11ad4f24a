import type { Logger } from 'pino';
import { z } from 'zod';
import type { Db } from '../../store/database';
import { TokensRepo, type TokenRecord } from '../../store/tokens-repo';
import { KEYS, type Redis } from './redis';

const RESYNC_MS = 30_000;

const recordSchema = z.object({
  jti: z.string(),
  userId: z.string(),
  permissions: z.array(z.string()),
  kind: z.string(),
  family: z.string(),
  issuedAt: z.number(),
  expiresAt: z.number(),
  revokedAt: z.number().nullable(),
});
const changeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('insert'), from: z.string(), record: recordSchema }),
  z.object({ type: z.literal('revoke-family'), from: z.string(), family: z.string(), at: z.number() }),
  z.object({ type: z.literal('revoke-one'), from: z.string(), jti: z.string(), at: z.number() }),
]);
type Change = z.infer<typeof changeSchema>;
const refreshSchema = z.object({ jti: z.string(), userId: z.string(), permissions: z.array(z.string()), expiresAt: z.number() });

/**
 * Token records shared by every cluster node (docs/protocol.md §12). Each node keeps
 * its own SQLite copy, so verifying a token stays a local read; every write also
 * goes to a Redis hash (for nodes that start later or missed a message) and is
 * announced on a channel, so a revocation on one node ends sockets on all of them
 * within milliseconds. A refresh offer lives in Redis and is taken by exactly one
 * node with GETDEL, wherever it is exchanged.
 */
export class ReplicatedTokensRepo extends TokensRepo {
  private onRevoked: (jtis: string[]) => void = () => undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private readonly liveJtis;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    db: Db,
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    private readonly node: string,
    private readonly log: Logger,
  ) {
    super(db);
    this.liveJtis = db.prepare('SELECT jti FROM tokens WHERE expires_at > ?');
  }

  /** Loads every shared record, then follows changes; `onRevoked` hears revocations made on other nodes. */
  async start(onRevoked: (jtis: string[]) => void): Promise<void> {
    this.onRevoked = onRevoked;
    await this.subscriber.subscribe(KEYS.tokenChanges, (message) => this.apply(message));
    await this.resync();
    // A message missed while Redis was away is caught by the next full read.
    this.subscriber.on('ready', () => void this.resync());
    this.resyncTimer = setInterval(() => void this.resync(), RESYNC_MS);
    this.resyncTimer.unref();
  }

  close(): void {
    clearInterval(this.resyncTimer);
  }

  override insert(t: Omit<TokenRecord, 'revokedAt'>): void {
    super.insert(t);
    const record = this.get(t.jti);
    if (record) this.share({ type: 'insert', from: this.node, record }, [record]);
  }

  override revokeFamily(family: string, at: number): string[] {
    const jtis = super.revokeFamily(family, at);
    if (jtis.length)
      this.share(
        { type: 'revoke-family', from: this.node, family, at },
        jtis.map((j) => this.get(j)!),
      );
    return jtis;
  }

  override revokeOne(jti: string, at: number): void {
    super.revokeOne(jti, at);
    const record = this.get(jti);
    if (record) this.share({ type: 'revoke-one', from: this.node, jti, at }, [record]);
  }

  override insertRefresh(hash: string, jti: string, userId: string, permissions: string[], expiresAt: number): void {
    super.insertRefresh(hash, jti, userId, permissions, expiresAt);
    const value = JSON.stringify({ jti, userId, permissions, expiresAt });
    this.redis.set(KEYS.refresh(hash), value, { PXAT: expiresAt }).catch((err: unknown) => this.log.warn({ err }, 'refresh offer not shared'));
  }

  /**
   * Takes a refresh offer for this node, once in the whole cluster: false when
   * another node took it (or it never existed). An offer made here before Redis
   * saw it is still this node's to take.
   */
  async claimRefresh(hash: string): Promise<boolean> {
    const value = await this.redis.getDel(KEYS.refresh(hash));
    if (value === null) return false;
    const offer = refreshSchema.safeParse(JSON.parse(value));
    if (!offer.success) return false;
    try {
      super.insertRefresh(hash, offer.data.jti, offer.data.userId, offer.data.permissions, offer.data.expiresAt);
    } catch {
      // Made on this node: the row is already here.
    }
    return true;
  }

  /** A token minted on another node a moment ago may not have arrived yet: fetch it. */
  async fetch(jti: string): Promise<void> {
    if (this.get(jti)) return;
    try {
      const value = await this.redis.hGet(KEYS.tokens, jti);
      const record = value === null ? null : recordSchema.safeParse(JSON.parse(value));
      if (record?.success) this.store(record.data);
    } catch (err) {
      // Redis away: only tokens this node already knows are accepted meanwhile.
      this.log.debug({ err }, 'token record not fetched');
    }
  }

  async settled(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  private share(change: Change, records: TokenRecord[]): void {
    const batch = this.redis.multi();
    for (const r of records) batch.hSet(KEYS.tokens, r.jti, JSON.stringify(r));
    batch.publish(KEYS.tokenChanges, JSON.stringify(change));
    const sent = batch.exec().catch((err: unknown) => this.log.warn({ err }, 'token change not shared; the next resync carries it'));
    this.inFlight.add(sent);
    void sent.finally(() => this.inFlight.delete(sent));
  }

  private apply(message: string): void {
    let change: Change;
    try {
      change = changeSchema.parse(JSON.parse(message));
    } catch {
      return;
    }
    if (change.from === this.node) return;
    if (change.type === 'insert') this.store(change.record);
    else if (change.type === 'revoke-family') this.onRevoked(super.revokeFamily(change.family, change.at));
    else {
      const live = this.get(change.jti)?.revokedAt === null;
      super.revokeOne(change.jti, change.at);
      if (live) this.onRevoked([change.jti]);
    }
  }

  /** Stores a shared record locally; a revocation it carries ends local sockets of that token. */
  private store(record: TokenRecord): void {
    super.insert(record);
    const local = this.get(record.jti);
    if (record.revokedAt !== null && local?.revokedAt === null) {
      super.revokeOne(record.jti, record.revokedAt);
      this.onRevoked([record.jti]);
    }
  }

  /**
   * Merges this node's records with the shared hash: records only Redis has come here, records
   * (or revocations) only this node has go there — a Redis that restarted empty is refilled.
   * A revocation always wins; nothing is ever un-revoked.
   */
  private async resync(): Promise<void> {
    try {
      const all = await this.redis.hGetAll(KEYS.tokens);
      const now = Date.now();
      const expired: string[] = [];
      const shared = new Map<string, TokenRecord>();
      for (const [jti, value] of Object.entries(all)) {
        const record = recordSchema.safeParse(JSON.parse(value));
        if (!record.success) continue;
        if (record.data.expiresAt <= now) expired.push(jti);
        else {
          shared.set(jti, record.data);
          this.store(record.data);
        }
      }
      if (expired.length) await this.redis.hDel(KEYS.tokens, expired);
      const missing: Record<string, string> = {};
      for (const { jti } of this.liveJtis.all(now) as { jti: string }[]) {
        const local = this.get(jti);
        const there = shared.get(jti);
        if (local && (!there || (there.revokedAt === null && local.revokedAt !== null))) missing[jti] = JSON.stringify(local);
      }
      if (Object.keys(missing).length) await this.redis.hSet(KEYS.tokens, missing);
    } catch (err) {
      this.log.warn({ err }, 'token records not read from Redis; retrying later');
    }
  }
}
