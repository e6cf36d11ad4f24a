import type { FastifyRequest } from 'fastify';
import { effectiveScopes } from '../../../shared/protocol/permissions';
import { ProtocolError } from '../../../shared/protocol/errors';
import { bearerToken } from '../auth/bearer';
import { addressKey, addressLabel } from '../security/client-label';
import { familyKey, type TokenService } from '../auth/token-service';
import type { CommandDispatcher } from '../dispatcher';
import type { CommandContext } from '../handlers/types';
import type { Authenticate } from './route';
import { Unauthenticated } from './unauthenticated';

/**
 * Bearer-token authentication for REST, charging the caller's request budget
 * (per token; per address when there is none). Returns null when no token was sent.
 */
export function bearerAuthenticator(tokens: TokenService, dispatcher: CommandDispatcher): Authenticate {
  const cache = new WeakMap<FastifyRequest, CommandContext | null>();
  return async (req) => {
    if (cache.has(req)) return cache.get(req)!;
    const header = req.headers.authorization;
    if (!header) {
      dispatcher.charge(addressKey(req.ip), { label: addressLabel(req.ip) });
      cache.set(req, null);
      return null;
    }
    const wait = dispatcher.blockedFor(addressKey(req.ip));
    if (wait > 0) throw new ProtocolError('rate_limited', `too many failed attempts from this address; retry in ${Math.ceil(wait / 1000)} s`, { retryAfterMs: wait });
    const result = await tokens.verify(bearerToken(header) ?? '');
    if (!result.ok) {
      dispatcher.charge(addressKey(req.ip), { label: addressLabel(req.ip) });
      throw new Unauthenticated('forbidden', result.message, { auth: result.code });
    }
    dispatcher.charge(familyKey(result.claims.family), { label: result.claims.userId });
    const ctx: CommandContext = {
      userId: result.claims.userId,
      tokenId: result.claims.jti,
      principal: familyKey(result.claims.family),
      scopes: effectiveScopes(result.claims.permissions),
      transport: 'rest',
    };
    cache.set(req, ctx);
    return ctx;
  };
}
