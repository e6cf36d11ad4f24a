import type { PermissionRequests } from '../auth/permission-requests';
import type { TokenService } from '../auth/token-service';
import type { EventInput } from '../../../shared/protocol/events';
import type { HandlersFor } from './types';

/** How auth commands reach live sockets, without this module knowing about Socket.IO. */
export interface AuthNotifier {
  /** Moves sockets still on `previousJti` onto the refreshed token. */
  tokenRefreshed(previousJti: string, token: string): Promise<void>;
  /** Only the sockets of the token that asked: user ids may be shared between tokens. */
  toRequester<E extends 'auth:permissions:granted' | 'auth:permissions:denied'>(tokenJti: string | null, event: E, payload: EventInput<E>): void;
  toAdmins(event: 'auth:permissions:requested', payload: EventInput<'auth:permissions:requested'>): void;
  /** Whether a socket of this token is connected to receive a grant (in a cluster: on any node). */
  isConnected(tokenJti: string): boolean | Promise<boolean>;
}

export function authHandlers(
  tokens: TokenService,
  requests: PermissionRequests,
  notify: AuthNotifier,
): HandlersFor<'auth:refresh' | 'auth:permissions:request' | 'auth:permissions:decide'> {
  return {
    'auth:refresh': async ({ refreshToken }) => {
      const { token, expiresAt, previousJti } = await tokens.refresh(refreshToken);
      await notify.tokenRefreshed(previousJti, token);
      return { token, expiresAt };
    },
    'auth:permissions:request': ({ permissions, reason }, ctx) => {
      const request = requests.create({ userId: ctx.userId, tokenJti: ctx.tokenId, permissions, reason });
      notify.toAdmins('auth:permissions:requested', {
        requestId: request.id,
        userId: request.userId,
        permissions: request.permissions,
        reason: request.reason,
      });
      return { requestId: request.id, status: 'pending' as const };
    },
    'auth:permissions:decide': async ({ requestId, approve, reason }, ctx) => {
      const { request, grant } = await requests.decide({
        requestId,
        approve,
        reason,
        decidedBy: ctx.userId,
        approverScopes: ctx.scopes,
        canReceive: (jti) => notify.isConnected(jti),
      });
      if (grant) {
        notify.toRequester(request.tokenJti, 'auth:permissions:granted', {
          requestId: request.id,
          permissions: grant.permissions,
          token: grant.token,
          expiresAt: grant.expiresAt,
        });
      } else {
        notify.toRequester(request.tokenJti, 'auth:permissions:denied', {
          requestId: request.id,
          reason: reason ?? 'denied by an administrator',
        });
      }
      return { requestId: request.id, status: approve ? ('approved' as const) : ('denied' as const) };
    },
  };
}
