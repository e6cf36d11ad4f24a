import type { FastifyRequest } from 'fastify';
import { effectiveScopes } from '../../../shared/protocol/permissions';
import { bearerToken } from '../auth/bearer';
import type { TokenService } from '../auth/token-service';
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
      dispatcher.charge(`addr:${req.ip}`, { label: req.ip });
      cache.set(req, null);
      return null;
    }
    const result = await tokens.verify(bearerToken(header) ?? '');
    if (!result.ok) {
      dispatcher.charge(`addr:${req.ip}`, { label: req.ip });
      throw new Unauthenticated('forbidden', result.message, { auth: result.code });
    }
    dispatcher.charge(`token:${result.claims.jti}`, { label: result.claims.userId });
    const ctx: CommandContext = {
      userId: result.claims.userId,
      tokenId: result.claims.jti,
      scopes: effectiveScopes(result.claims.permissions),
      transport: 'rest',
    };
    cache.set(req, ctx);
    return ctx;
  };
}
