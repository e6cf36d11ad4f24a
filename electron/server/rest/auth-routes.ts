import type { ClusterStatus } from '../../../shared/protocol/rest';
import { z } from 'zod';
import { ProtocolError } from '../../../shared/protocol/errors';
import { authRefreshSchema, permissionsDecideSchema, tokenIssueSchema } from '../../../shared/protocol/commands';
import { compactScopes, missingScopes } from '../../../shared/protocol/permissions';
import type { PermissionRequests } from '../auth/permission-requests';
import type { TokenService } from '../auth/token-service';
import type { CommandDispatcher } from '../dispatcher';
import type { TlsState } from '../tls/tls-setup';
import { defineRoute, type RouteDef } from './route';

export interface ServerIdentity {
  mode: 'desktop' | 'headless';
  version: string;
  lan: () => { enabled: boolean; urls: string[]; clients: number };
  tls: () => TlsState;
  /** Cluster mode: this node's role, its lag behind the stream and whether the core is reachable. */
  cluster?: () => ClusterStatus;
}

/** Tokens (§7), refresh (§2), permission requests (§2) and who-am-I. */
export function authRoutes(tokens: TokenService, requests: PermissionRequests, dispatcher: CommandDispatcher, identity: ServerIdentity): RouteDef[] {
  return [
    defineRoute('GET /api/health', {
      summary: 'Liveness: 200 once the server accepts connections',
      access: 'open',
      handler: () => ({ status: 'ok', version: identity.version, uptime: Math.round(process.uptime()), ...(identity.cluster ? { cluster: identity.cluster() } : {}) }),
    }),
    defineRoute('GET /api/whoami', {
      summary: 'The caller, its effective permissions and this server',
      access: null,
      handler: (_i, ctx) => ({
        userId: ctx.userId,
        tokenId: ctx.tokenId,
        permissions: compactScopes(ctx.scopes),
        server: { mode: identity.mode, version: identity.version, lan: identity.lan(), tls: identity.tls() },
      }),
    }),
    defineRoute('POST /api/tokens', {
      summary: 'Mint a token { permissions, ttl?, userId? } → { token, jti, expiresAt }',
      access: 'admin:system',
      body: tokenIssueSchema,
      status: 201,
      handler: ({ body }, ctx) => {
        const missing = missingScopes(ctx.scopes, body.permissions);
        if (missing.length) throw new ProtocolError('forbidden', `a token can grant only permissions its caller holds; missing: ${missing.join(', ')}`, { missing });
        return tokens.issue({ permissions: body.permissions, ttlSeconds: body.ttl, userId: body.userId });
      },
    }),
    defineRoute('GET /api/tokens', {
      summary: 'Unexpired tokens (ids and claims, never the tokens themselves), the env admin token among them (kind env)',
      access: 'admin:system',
      handler: () => ({ tokens: tokens.list() }),
    }),
    defineRoute('DELETE /api/tokens/:jti', {
      summary: 'Revoke a token and its family (refreshed and granted descendants); their live sockets get auth:error and are disconnected',
      access: 'admin:system',
      params: z.strictObject({ jti: z.string().min(1).max(200) }),
      handler: ({ params }) => {
        if (!tokens.get(params.jti)) throw new ProtocolError('not_found', `no token ${params.jti}`);
        const revoked = tokens.revoke(params.jti);
        return { jti: params.jti, revoked: true, alreadyRevoked: !revoked };
      },
    }),
    defineRoute('POST /api/auth/refresh', {
      summary: 'Exchange a refresh token for { token, expiresAt }',
      access: 'open',
      body: authRefreshSchema,
      handler: async ({ body }: { body: { refreshToken: string } }, ctx) => dispatcher.invoke('auth:refresh', body, ctx),
    }),
    defineRoute('GET /api/auth/requests', {
      summary: 'Pending permission requests',
      access: 'admin:system',
      handler: () => ({ requests: requests.pending() }),
    }),
    defineRoute('POST /api/auth/requests/:requestId/decision', {
      summary: 'Approve or deny a permission request { approve, reason? }',
      access: 'admin:system',
      params: z.strictObject({ requestId: z.string().min(1).max(200) }),
      body: permissionsDecideSchema.omit({ requestId: true }),
      handler: ({ params, body }, ctx) => dispatcher.invoke('auth:permissions:decide', { requestId: params.requestId, ...body }, ctx),
    }),
  ];
}
