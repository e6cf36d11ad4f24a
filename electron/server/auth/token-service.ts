import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { AuthErrorCode } from '../../../shared/protocol/errors';
import { ProtocolError } from '../../../shared/protocol/errors';
import { isPermission } from '../../../shared/protocol/permissions';
import type { TokenRecord, TokensRepo } from '../../store/tokens-repo';

import type { TokenClaims } from '../../../shared/protocol/socket-types';

export type { TokenClaims };

/** The key a token family's request and byte budgets are kept under (every token of a family shares them). */
export const familyKey = (family: string): string => `token:${family}`;

export type VerifyResult = { ok: true; claims: TokenClaims } | { ok: false; code: AuthErrorCode; message: string };

/** Kind of the record that stands for ZENFLOW_ADMIN_TOKEN: listed (never its value) and revocable like any token. */
export const ENV_ADMIN_KIND = 'env';
/** The env admin token's record never expires; this is the latest moment a JS Date can hold. */
const NEVER_EXPIRES = 8.64e15;
const REFRESH_TTL_MS = 24 * 3600_000;
/** Default ceiling on any minted token's lifetime. */
export const DEFAULT_MAX_TOKEN_TTL_SECONDS = 30 * 86_400;

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

export interface TokenServiceOptions {
  defaultTtlSeconds: number;
  /** Ceiling on minted lifetimes; longer requests are refused with invalid_argument. */
  maxTtlSeconds?: number;
  adminToken?: string;
  now?: () => number;
  /** Cluster mode (docs/protocol.md §12): records shared with the other nodes. */
  shared?: SharedTokens;
}

/** How a node reaches token records that other cluster nodes wrote. */
export interface SharedTokens {
  /** Brings a record minted elsewhere into the local copy, if it exists. */
  fetch(jti: string): Promise<void>;
  /** Takes a refresh offer for this node; false when another node took it first. */
  claimRefresh(hash: string): Promise<boolean>;
  /** Resolves once the records written so far reached the other nodes' store (or failed to). */
  settled(): Promise<void>;
}

/** Mints, verifies, refreshes and revokes JWTs (HS256) signed with the installation secret. */
export class TokenService {
  private readonly revokeListeners = new Set<(jti: string) => void>();
  private readonly adminDigest: Buffer | null;
  /** The env admin token's record id: derived from its value, so a new value is a new, enabled token. */
  readonly envAdminJti: string | null;
  /** One outstanding refresh offer per token, however many sockets share it. */
  private readonly offers = new Map<string, { refreshToken: string; expiresAt: number }>();

  constructor(
    private readonly secret: Uint8Array,
    private readonly repo: TokensRepo,
    private readonly options: TokenServiceOptions,
  ) {
    this.adminDigest = options.adminToken ? sha256(options.adminToken) : null;
    this.envAdminJti = this.adminDigest ? `env-admin-${this.adminDigest.toString('hex').slice(0, 12)}` : null;
    if (this.envAdminJti) {
      this.repo.insert({
        jti: this.envAdminJti,
        userId: 'admin',
        permissions: ['*'],
        kind: ENV_ADMIN_KIND,
        family: this.envAdminJti,
        issuedAt: this.now(),
        expiresAt: NEVER_EXPIRES,
      });
    }
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  get maxTtlSeconds(): number {
    return this.options.maxTtlSeconds ?? DEFAULT_MAX_TOKEN_TTL_SECONDS;
  }

  async issue(input: { permissions: string[]; ttlSeconds?: number; userId?: string; kind?: string; family?: string }): Promise<{ token: string; jti: string; expiresAt: number }> {
    const bad = input.permissions.filter((p) => !isPermission(p));
    if (bad.length) throw new ProtocolError('invalid_argument', `unknown permission scope: ${bad.join(', ')}`, [{ path: 'permissions', message: 'unknown permission scope' }]);
    const ttl = input.ttlSeconds ?? this.options.defaultTtlSeconds;
    if (ttl > this.maxTtlSeconds) {
      const message = `ttl may be at most ${this.maxTtlSeconds} s on this server`;
      throw new ProtocolError('invalid_argument', message, [{ path: 'ttl', message }]);
    }
    const jti = randomUUID();
    const issuedAt = this.now();
    // JWT `exp` has whole seconds; keep the stored expiry identical to it.
    const expiresAt = Math.floor((issuedAt + ttl * 1000) / 1000) * 1000;
    const userId = input.userId ?? 'user';
    const token = await new SignJWT({ perms: input.permissions })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setJti(jti)
      .setIssuedAt(Math.floor(issuedAt / 1000))
      .setExpirationTime(expiresAt / 1000)
      .sign(this.secret);
    this.repo.insert({ jti, userId, permissions: input.permissions, kind: input.kind ?? 'access', family: input.family ?? jti, issuedAt, expiresAt });
    // A token handed out is valid on every cluster node at once.
    await this.options.shared?.settled();
    return { token, jti, expiresAt };
  }

  async verify(token: unknown): Promise<VerifyResult> {
    if (typeof token !== 'string' || token.length === 0) return { ok: false, code: 'missing_token', message: 'auth: missing token' };
    if (this.adminDigest && this.envAdminJti && timingSafeEqual(sha256(token), this.adminDigest)) {
      if (this.repo.get(this.envAdminJti)?.revokedAt != null) return { ok: false, code: 'token_revoked', message: 'auth: token revoked' };
      return { ok: true, claims: { userId: 'admin', permissions: ['*'], jti: this.envAdminJti, family: this.envAdminJti, issuedAt: 0, expiresAt: null } };
    }
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.secret, { algorithms: ['HS256'], currentDate: new Date(this.now()) }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) return { ok: false, code: 'token_expired', message: 'auth: token expired' };
      return { ok: false, code: 'invalid_token', message: 'auth: invalid token' };
    }
    const perms = payload.perms;
    if (typeof payload.jti !== 'string' || typeof payload.sub !== 'string' || typeof payload.exp !== 'number' || !Array.isArray(perms)) {
      return { ok: false, code: 'invalid_token', message: 'auth: invalid token' };
    }
    if (this.options.shared) await this.options.shared.fetch(payload.jti);
    const record = this.repo.get(payload.jti);
    if (!record) return { ok: false, code: 'invalid_token', message: 'auth: invalid token' };
    if (record.revokedAt !== null) return { ok: false, code: 'token_revoked', message: 'auth: token revoked' };
    return {
      ok: true,
      claims: {
        userId: payload.sub,
        permissions: perms.filter((p): p is string => typeof p === 'string'),
        jti: payload.jti,
        family: record.family,
        issuedAt: (payload.iat ?? 0) * 1000,
        expiresAt: payload.exp * 1000,
      },
    };
  }

  /**
   * The refresh offer for the holder of `claims`: single-use, and one per token, so several sockets
   * on one token share it instead of each minting a token of its own.
   */
  createRefreshToken(claims: TokenClaims): { refreshToken: string; expiresAt: number } {
    const now = this.now();
    for (const [jti, offer] of this.offers) if (offer.expiresAt <= now) this.offers.delete(jti);
    const existing = this.offers.get(claims.jti);
    if (existing) return existing;
    const refreshToken = randomBytes(32).toString('base64url');
    const expiresAt = now + REFRESH_TTL_MS;
    this.repo.insertRefresh(sha256(refreshToken).toString('hex'), claims.jti, claims.userId, claims.permissions, expiresAt);
    const offer = { refreshToken, expiresAt };
    this.offers.set(claims.jti, offer);
    return offer;
  }

  /**
   * Exchanges a refresh token for a new access token in the same family, with the same user,
   * permissions and lifetime. It never revives a token that has expired or was revoked.
   */
  async refresh(refreshToken: string): Promise<{ token: string; jti: string; expiresAt: number; previousJti: string }> {
    const now = this.now();
    const hash = sha256(refreshToken).toString('hex');
    if (this.options.shared && !(await this.options.shared.claimRefresh(hash))) {
      throw new ProtocolError('invalid_argument', 'refresh token is unknown, used or expired', [{ path: 'refreshToken', message: 'not valid' }]);
    }
    const taken = this.repo.takeRefresh(hash, now);
    if (!taken) throw new ProtocolError('invalid_argument', 'refresh token is unknown, used or expired', [{ path: 'refreshToken', message: 'not valid' }]);
    this.offers.delete(taken.jti);
    const previous = this.repo.get(taken.jti);
    if (!previous) throw new ProtocolError('forbidden', 'the token this refresh belongs to is unknown');
    if (previous.revokedAt !== null) throw new ProtocolError('forbidden', 'the token this refresh belongs to was revoked');
    if (previous.expiresAt <= now) throw new ProtocolError('forbidden', 'the token this refresh belongs to has expired; sign in again');
    const ttlSeconds = Math.min(this.maxTtlSeconds, Math.max(1, Math.round((previous.expiresAt - previous.issuedAt) / 1000)));
    const issued = await this.issue({ permissions: previous.permissions, ttlSeconds, userId: previous.userId, kind: 'refreshed', family: previous.family });
    return { ...issued, previousJti: taken.jti };
  }

  /** Revokes a token and its whole family; returns false when none of it was live. */
  revoke(jti: string): boolean {
    const record = this.repo.get(jti);
    if (!record) return false;
    const revoked = this.repo.revokeFamily(record.family, this.now());
    for (const r of revoked) {
      this.offers.delete(r);
      for (const l of this.revokeListeners) l(r);
    }
    return revoked.length > 0;
  }

  /** Tokens another cluster node revoked: their sockets here end as if revoked here. */
  revokedElsewhere(jtis: readonly string[]): void {
    for (const r of jtis) {
      this.offers.delete(r);
      for (const l of this.revokeListeners) l(r);
    }
  }

  /** Revokes one token that was minted but never handed out (its family stays live). */
  discard(jti: string): void {
    this.repo.revokeOne(jti, this.now());
  }

  get(jti: string): TokenRecord | null {
    return this.repo.get(jti);
  }

  list(): TokenRecord[] {
    return this.repo.listActive(this.now());
  }

  /** Live tokens of one kind for one user (e.g. the local UI tokens of earlier starts). */
  activeOfKind(kind: string, userId: string): TokenRecord[] {
    return this.repo.activeOfKind(kind, userId, this.now());
  }

  onRevoke(listener: (jti: string) => void): () => void {
    this.revokeListeners.add(listener);
    return () => this.revokeListeners.delete(listener);
  }
}
