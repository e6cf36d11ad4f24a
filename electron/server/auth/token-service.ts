import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { AuthErrorCode } from '../../../shared/protocol/errors';
import { ProtocolError } from '../../../shared/protocol/errors';
import { isPermission } from '../../../shared/protocol/permissions';
import type { TokenRecord, TokensRepo } from '../../store/tokens-repo';

export interface TokenClaims {
  userId: string;
  permissions: string[];
  jti: string;
  issuedAt: number;
  /** ms since epoch; null for the env admin token, which never expires. */
  expiresAt: number | null;
}

export type VerifyResult = { ok: true; claims: TokenClaims } | { ok: false; code: AuthErrorCode; message: string };

export const ENV_ADMIN_JTI = 'env-admin';
const REFRESH_TTL_MS = 24 * 3600_000;

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Mints, verifies, refreshes and revokes JWTs (HS256) signed with the installation secret. */
export class TokenService {
  private readonly revokeListeners = new Set<(jti: string) => void>();
  private readonly adminDigest: Buffer | null;

  constructor(
    private readonly secret: Uint8Array,
    private readonly repo: TokensRepo,
    private readonly options: { defaultTtlSeconds: number; adminToken?: string; now?: () => number },
  ) {
    this.adminDigest = options.adminToken ? createHash('sha256').update(options.adminToken).digest() : null;
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  async issue(input: { permissions: string[]; ttlSeconds?: number; userId?: string; kind?: string }): Promise<{ token: string; jti: string; expiresAt: number }> {
    const bad = input.permissions.filter((p) => !isPermission(p));
    if (bad.length) throw new ProtocolError('invalid_argument', `unknown permission scope: ${bad.join(', ')}`, [{ path: 'permissions', message: 'unknown permission scope' }]);
    const jti = randomUUID();
    const issuedAt = this.now();
    const ttl = input.ttlSeconds ?? this.options.defaultTtlSeconds;
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
    this.repo.insert({ jti, userId, permissions: input.permissions, kind: input.kind ?? 'access', issuedAt, expiresAt });
    return { token, jti, expiresAt };
  }

  async verify(token: unknown): Promise<VerifyResult> {
    if (typeof token !== 'string' || token.length === 0) return { ok: false, code: 'missing_token', message: 'auth: missing token' };
    if (this.adminDigest && timingSafeEqual(createHash('sha256').update(token).digest(), this.adminDigest)) {
      return { ok: true, claims: { userId: 'admin', permissions: ['*'], jti: ENV_ADMIN_JTI, issuedAt: 0, expiresAt: null } };
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
    const record = this.repo.get(payload.jti);
    if (!record) return { ok: false, code: 'invalid_token', message: 'auth: invalid token' };
    if (record.revokedAt !== null) return { ok: false, code: 'token_revoked', message: 'auth: token revoked' };
    return {
      ok: true,
      claims: {
        userId: payload.sub,
        permissions: perms.filter((p): p is string => typeof p === 'string'),
        jti: payload.jti,
        issuedAt: (payload.iat ?? 0) * 1000,
        expiresAt: payload.exp * 1000,
      },
    };
  }

  /** A single-use refresh token for the holder of `claims`. */
  createRefreshToken(claims: TokenClaims): { refreshToken: string; expiresAt: number } {
    const refreshToken = randomBytes(32).toString('base64url');
    const expiresAt = this.now() + REFRESH_TTL_MS;
    this.repo.insertRefresh(sha256(refreshToken), claims.jti, claims.userId, claims.permissions, expiresAt);
    return { refreshToken, expiresAt };
  }

  /** Exchanges a refresh token for a new access token with the same user, permissions and lifetime. */
  async refresh(refreshToken: string): Promise<{ token: string; jti: string; expiresAt: number; previousJti: string }> {
    const taken = this.repo.takeRefresh(sha256(refreshToken), this.now());
    if (!taken) throw new ProtocolError('invalid_argument', 'refresh token is unknown, used or expired', [{ path: 'refreshToken', message: 'not valid' }]);
    const previous = this.repo.get(taken.jti);
    if (previous?.revokedAt != null) throw new ProtocolError('forbidden', 'the token this refresh belongs to was revoked');
    const ttlSeconds = previous ? Math.max(1, Math.round((previous.expiresAt - previous.issuedAt) / 1000)) : this.options.defaultTtlSeconds;
    const issued = await this.issue({ permissions: taken.permissions, ttlSeconds, userId: taken.userId, kind: 'refreshed' });
    return { ...issued, previousJti: taken.jti };
  }

  revoke(jti: string): boolean {
    const done = this.repo.revoke(jti, this.now());
    if (done) for (const l of this.revokeListeners) l(jti);
    return done;
  }

  get(jti: string): TokenRecord | null {
    return this.repo.get(jti);
  }

  list(): TokenRecord[] {
    return this.repo.listActive(this.now());
  }

  onRevoke(listener: (jti: string) => void): () => void {
    this.revokeListeners.add(listener);
    return () => this.revokeListeners.delete(listener);
  }
}
