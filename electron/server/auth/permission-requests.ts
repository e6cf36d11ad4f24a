import { randomUUID } from 'node:crypto';
import { ProtocolError } from '../../../shared/protocol/errors';
import { missingScopes, type Scope } from '../../../shared/protocol/permissions';
import type { PermissionRequest, PermissionRequestsRepo } from '../../store/permission-requests-repo';
import type { TokenService } from './token-service';

/** Pending requests one token may have open at once. */
export const MAX_PENDING_REQUESTS_PER_TOKEN = 5;

export interface PermissionDecisionOutcome {
  request: PermissionRequest;
  /** On approval: a new token carrying the requester's permissions plus the granted ones. */
  grant?: { token: string; jti: string; expiresAt: number; permissions: string[] };
}

/** `auth:permissions:request` → an admin:system holder approves or denies (docs/protocol.md §2). */
export class PermissionRequests {
  constructor(
    private readonly repo: PermissionRequestsRepo,
    private readonly tokens: TokenService,
    private readonly now: () => number = Date.now,
  ) {
    tokens.onRevoke((jti) => this.repo.dropForToken(jti, this.now()));
  }

  create(input: { userId: string; tokenJti: string; permissions: string[]; reason: string }): PermissionRequest {
    if (this.repo.countPending(input.tokenJti) >= MAX_PENDING_REQUESTS_PER_TOKEN) {
      throw new ProtocolError('rate_limited', `this token already has ${MAX_PENDING_REQUESTS_PER_TOKEN} pending permission requests; wait for a decision`);
    }
    const id = randomUUID();
    this.repo.insert({ id, ...input, createdAt: this.now() });
    return this.repo.get(id)!;
  }

  pending(): PermissionRequest[] {
    return this.repo.pending();
  }

  /**
   * Decides a pending request. An approver grants only scopes it holds itself, and only to a
   * requester that can still receive the token (`canReceive`: its token is live and connected).
   */
  async decide(input: {
    requestId: string;
    approve: boolean;
    reason?: string;
    decidedBy: string;
    approverScopes: ReadonlySet<Scope>;
    canReceive: (tokenJti: string) => boolean | Promise<boolean>;
  }): Promise<PermissionDecisionOutcome> {
    const request = this.repo.get(input.requestId);
    if (!request) throw new ProtocolError('not_found', `no permission request ${input.requestId}`);
    if (request.status !== 'pending') throw new ProtocolError('conflict', `request ${input.requestId} was already ${request.status}`);
    let grant: PermissionDecisionOutcome['grant'];
    if (input.approve) {
      const requester = request.tokenJti ? this.tokens.get(request.tokenJti) : null;
      if (!requester || requester.revokedAt !== null || requester.expiresAt <= this.now()) {
        this.repo.decide(request.id, 'dropped', input.decidedBy, 'the requesting token is no longer valid', this.now());
        throw new ProtocolError('conflict', `request ${input.requestId} came from a token that is no longer valid; it was dropped`);
      }
      if (!(await input.canReceive(requester.jti))) {
        throw new ProtocolError('conflict', `the requester of ${input.requestId} is not connected, so nobody could receive the token; decide once it reconnects`);
      }
      const permissions = [...new Set([...requester.permissions, ...request.permissions])];
      const missing = missingScopes(input.approverScopes, permissions);
      if (missing.length) {
        throw new ProtocolError('forbidden', `you can grant only permissions you hold; missing: ${missing.join(', ')}`, { missing });
      }
      const ttlSeconds = Math.max(1, Math.round((requester.expiresAt - this.now()) / 1000));
      const issued = await this.tokens.issue({
        permissions,
        userId: request.userId,
        kind: 'granted',
        family: requester.family,
        ttlSeconds: Math.min(ttlSeconds, this.tokens.maxTtlSeconds),
      });
      grant = { ...issued, permissions };
    }
    const decided = this.repo.decide(request.id, input.approve ? 'approved' : 'denied', input.decidedBy, input.reason ?? null, this.now());
    if (!decided) {
      if (grant) this.tokens.discard(grant.jti);
      throw new ProtocolError('conflict', `request ${input.requestId} was decided concurrently`);
    }
    return { request: this.repo.get(request.id)!, grant };
  }
}
