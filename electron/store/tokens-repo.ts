import type { Db } from './database';

export interface TokenRecord {
  jti: string;
  userId: string;
  permissions: string[];
  kind: string;
  /** The jti of the token this one descends from by refresh or grant (its own jti for an original). */
  family: string;
  issuedAt: number;
  expiresAt: number;
  revokedAt: number | null;
}

type TokenRow = {
  jti: string;
  user_id: string;
  permissions: string;
  kind: string;
  family: string | null;
  issued_at: number;
  expires_at: number;
  revoked_at: number | null;
};

const toRecord = (r: TokenRow): TokenRecord => ({
  jti: r.jti,
  userId: r.user_id,
  permissions: JSON.parse(r.permissions) as string[],
  kind: r.kind,
  family: r.family ?? r.jti,
  issuedAt: r.issued_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
});

/** Issued token ids and revocations; refresh tokens are kept only as SHA-256 hashes. */
export class TokensRepo {
  private readonly insertStmt;
  private readonly getStmt;
  private readonly revokeFamilyStmt;
  private readonly revokeOneStmt;
  private readonly listStmt;
  private readonly activeOfKindStmt;
  private readonly insertRefreshStmt;
  private readonly takeRefreshStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare('INSERT OR IGNORE INTO tokens (jti, user_id, permissions, kind, family, issued_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.getStmt = db.prepare('SELECT * FROM tokens WHERE jti = ?');
    this.revokeFamilyStmt = db.prepare('UPDATE tokens SET revoked_at = ? WHERE family = ? AND revoked_at IS NULL RETURNING jti');
    this.revokeOneStmt = db.prepare('UPDATE tokens SET revoked_at = ? WHERE jti = ? AND revoked_at IS NULL');
    this.listStmt = db.prepare('SELECT * FROM tokens WHERE expires_at > ? ORDER BY issued_at DESC LIMIT 500');
    this.activeOfKindStmt = db.prepare('SELECT * FROM tokens WHERE kind = ? AND user_id = ? AND revoked_at IS NULL AND expires_at > ?');
    this.insertRefreshStmt = db.prepare('INSERT INTO refresh_tokens (hash, jti, user_id, permissions, expires_at) VALUES (?, ?, ?, ?, ?)');
    this.takeRefreshStmt = db.prepare('UPDATE refresh_tokens SET used_at = ? WHERE hash = ? AND used_at IS NULL AND expires_at > ? RETURNING jti, user_id, permissions');
  }

  /** Inserts a token record; an existing jti is left as it is (the env admin token's row is made once). */
  insert(t: Omit<TokenRecord, 'revokedAt'>): void {
    this.insertStmt.run(t.jti, t.userId, JSON.stringify(t.permissions), t.kind, t.family, t.issuedAt, t.expiresAt);
  }

  get(jti: string): TokenRecord | null {
    const row = this.getStmt.get(jti) as TokenRow | undefined;
    return row ? toRecord(row) : null;
  }

  /** Revokes every live token of a family; returns the jtis it revoked. */
  revokeFamily(family: string, at: number): string[] {
    return (this.revokeFamilyStmt.all(at, family) as { jti: string }[]).map((r) => r.jti);
  }

  revokeOne(jti: string, at: number): void {
    this.revokeOneStmt.run(at, jti);
  }

  activeOfKind(kind: string, userId: string, now: number): TokenRecord[] {
    return (this.activeOfKindStmt.all(kind, userId, now) as TokenRow[]).map(toRecord);
  }

  listActive(now: number): TokenRecord[] {
    return (this.listStmt.all(now) as TokenRow[]).map(toRecord);
  }

  insertRefresh(hash: string, jti: string, userId: string, permissions: string[], expiresAt: number): void {
    this.insertRefreshStmt.run(hash, jti, userId, JSON.stringify(permissions), expiresAt);
  }

  /** Marks a refresh token used and returns what it was issued for; null if unknown, used or expired. */
  takeRefresh(hash: string, now: number): { jti: string; userId: string; permissions: string[] } | null {
    const row = this.takeRefreshStmt.get(now, hash, now) as { jti: string; user_id: string; permissions: string } | undefined;
    return row ? { jti: row.jti, userId: row.user_id, permissions: JSON.parse(row.permissions) as string[] } : null;
  }
}
