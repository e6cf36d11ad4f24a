import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { ProtocolError } from '../../../shared/protocol/errors';
import type { Scope } from '../../../shared/protocol/permissions';
import type { CommandContext } from '../handlers/types';
import { parseOrThrow } from '../validation';
import { Unauthenticated } from './unauthenticated';

/**
 * One REST route: zod schemas for params, query and body (the same validator the
 * socket commands use), the scope it needs, and a handler. The route table also
 * feeds /api/openapi.json.
 */
export interface RouteDef {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  summary: string;
  /** 'open': no token; null: any valid token; else the scope needed. */
  access: 'open' | Scope | null;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Routes that mirror a socket command name it; the dispatcher checks its scope and schema. */
  command?: string;
  status?: number;
  handler: (input: { params: never; query: never; body: never }, ctx: CommandContext, req: FastifyRequest, reply: FastifyReply) => unknown;
}

export type Authenticate = (req: FastifyRequest) => Promise<CommandContext | null>;

export function registerRoutes(app: FastifyInstance, routes: readonly RouteDef[], authenticate: Authenticate): void {
  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.url,
      handler: async (req, reply) => {
        const ctx = route.access === 'open' ? null : await authenticate(req);
        if (route.access !== 'open' && !ctx) throw new Unauthenticated('forbidden', 'auth: missing token', { auth: 'missing_token' });
        if (route.access !== 'open' && route.access !== null && !ctx!.scopes.has(route.access)) {
          throw new ProtocolError('forbidden', `${route.method} ${route.url} needs the ${route.access} permission`, { required: route.access });
        }
        const input = {
          params: route.params ? parseOrThrow(route.params, req.params, ['params']) : req.params,
          query: route.query ? parseOrThrow(route.query, req.query ?? {}, ['query']) : req.query,
          body: route.body ? parseOrThrow(route.body, req.body, ['body']) : req.body,
        } as { params: never; query: never; body: never };
        const result = await route.handler(input, ctx ?? anonymous, req, reply);
        if (reply.sent) return reply;
        reply.code(route.status ?? 200);
        return result ?? {};
      },
    });
  }
}

const anonymous: CommandContext = { userId: 'anonymous', tokenId: 'none', principal: 'anonymous', scopes: new Set(), transport: 'rest' };
