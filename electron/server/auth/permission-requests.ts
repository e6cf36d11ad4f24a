import { randomUUID } from 'node:crypto';
import { ProtocolError } from '../../../shared/protocol/errors';
import type { PermissionRequest, PermissionRequestsRepo } from '../../store/permission-requests-repo';
import type { TokenService } from './token-service';

export interface PermissionDecisionOutcome {
  request: PermissionRequest;
  /** On approval: a new token carrying the requester's permissions plus the granted ones. */
  grant?: { token: string; jti: string; expiresAt: number; permissions: string[] };
}

/** `auth:permissions:request` → an admin:system holder approves or denies (PROTOCOL.md §2). */
export class PermissionRequests {
  constructor(
    private readonly repo: PermissionRequestsRepo,
    private readonly tokens: TokenService,
    private readonly now: () => number = Date.now,
  ) {}

  create(input: { userId: string; tokenJti: string; permissions: string[]; reason: string }): PermissionRequest {
    const id = randomUUID();
    this.repo.insert({ id, ...input, createdAt: this.now() });
    return this.repo.get(id)!;
  }

  pending(): PermissionRequest[] {
    return this.repo.pending();
  }

  async decide(input: { requestId: string; approve: boolean; reason?: string; decidedBy: string }): Promise<PermissionDecisionOutcome> {
    const request = this.repo.get(input.requestId);
    if (!request) throw new ProtocolError('not_found', `no permission request ${input.requestId}`);
    if (request.status !== 'pending') throw new ProtocolError('conflict', `request ${input.requestId} was already ${request.status}`);
    let grant: PermissionDecisionOutcome['grant'];
    if (input.approve) {
      const current = request.tokenJti ? (this.tokens.get(request.tokenJti)?.permissions ?? []) : [];
      const permissions = [...new Set([...current, ...request.permissions])];
      const issued = await this.tokens.issue({ permissions, userId: request.userId, kind: 'granted' });
      grant = { ...issued, permissions };
    }
    const decided = this.repo.decide(request.id, input.approve ? 'approved' : 'denied', input.decidedBy, input.reason ?? null, this.now());
    if (!decided) {
      if (grant) this.tokens.revoke(grant.jti);
      throw new ProtocolError('conflict', `request ${input.requestId} was decided concurrently`);
    }
    return { request: this.repo.get(request.id)!, grant };
  }
}
