import type { Db } from './database';

/** `dropped`: the requesting token was revoked before anyone decided. */
export type PermissionRequestStatus = 'pending' | 'approved' | 'denied' | 'dropped';

export interface PermissionRequest {
  id: string;
  userId: string;
  tokenJti: string | null;
  permissions: string[];
  reason: string;
  status: PermissionRequestStatus;
  decidedBy: string | null;
  decisionReason: string | null;
  createdAt: number;
  decidedAt: number | null;
}

type Row = {
  id: string;
  user_id: string;
  token_jti: string | null;
  permissions: string;
  reason: string;
  status: PermissionRequestStatus;
  decided_by: string | null;
  decision_reason: string | null;
  created_at: number;
  decided_at: number | null;
};

const toRequest = (r: Row): PermissionRequest => ({
  id: r.id,
  userId: r.user_id,
  tokenJti: r.token_jti,
  permissions: JSON.parse(r.permissions) as string[],
  reason: r.reason,
  status: r.status,
  decidedBy: r.decided_by,
  decisionReason: r.decision_reason,
  createdAt: r.created_at,
  decidedAt: r.decided_at,
});

export class PermissionRequestsRepo {
  private readonly insertStmt;
  private readonly getStmt;
  private readonly pendingStmt;
  private readonly decideStmt;
  private readonly countPendingStmt;
  private readonly dropStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare("INSERT INTO permission_requests (id, user_id, token_jti, permissions, reason, status, created_at) VALUES (?, ?, ?, ?, ?, 'pending', ?)");
    this.getStmt = db.prepare('SELECT * FROM permission_requests WHERE id = ?');
    this.pendingStmt = db.prepare("SELECT * FROM permission_requests WHERE status = 'pending' ORDER BY created_at");
    this.decideStmt = db.prepare("UPDATE permission_requests SET status = ?, decided_by = ?, decision_reason = ?, decided_at = ? WHERE id = ? AND status = 'pending'");
    this.dropStmt = db.prepare(
      "UPDATE permission_requests SET status = 'dropped', decision_reason = 'the requesting token was revoked', decided_at = ? WHERE token_jti = ? AND status = 'pending'",
    );
    this.countPendingStmt = db.prepare("SELECT count(*) AS n FROM permission_requests WHERE token_jti = ? AND status = 'pending'");
  }

  insert(r: Pick<PermissionRequest, 'id' | 'userId' | 'tokenJti' | 'permissions' | 'reason' | 'createdAt'>): void {
    this.insertStmt.run(r.id, r.userId, r.tokenJti, JSON.stringify(r.permissions), r.reason, r.createdAt);
  }

  get(id: string): PermissionRequest | null {
    const row = this.getStmt.get(id) as Row | undefined;
    return row ? toRequest(row) : null;
  }

  pending(): PermissionRequest[] {
    return (this.pendingStmt.all() as Row[]).map(toRequest);
  }

  /** Records a decision once; false when the request was no longer pending. */
  decide(id: string, status: Exclude<PermissionRequestStatus, 'pending'>, by: string, reason: string | null, at: number): boolean {
    return this.decideStmt.run(status, by, reason, at, id).changes > 0;
  }

  countPending(tokenJti: string): number {
    return Number((this.countPendingStmt.get(tokenJti) as { n: number }).n);
  }

  /** Drops the pending requests of a revoked token; returns how many. */
  dropForToken(tokenJti: string, at: number): number {
    return this.dropStmt.run(at, tokenJti).changes;
  }
}
