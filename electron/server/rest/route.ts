import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { CommandName } from '../../../shared/protocol/command-table';
import { ProtocolError } from '../../../shared/protocol/errors';
import type { Scope } from '../../../shared/protocol/permissions';
import { REST_RESPONSES, type RestResponse, type RestRouteKey } from '../../../shared/protocol/rest';
import type { CommandContext } from '../handlers/types';
import { parseOrThrow } from '../validation';
import { Unauthenticated } from './unauthenticated';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
/** What a route's handler receives for a part it declares a schema for; `unknown` (as sent) for one it does not. */
type Parsed<S> = S extends z.ZodType ? z.output<S> : unknown;

/** A route as written: its input schemas infer the handler's input, its key fixes the response. */
export interface RouteSpec<K extends RestRouteKey, P, Q, B> {
  summary: string;
  /** 'open': no token; null: any valid token; else the scope needed. */
  access: 'open' | Scope | null;
  params?: P;
  query?: Q;
  body?: B;
  /**
   * The socket command this route mirrors. Without path parameters its JSON body is that
   * command's payload, which the dispatcher validates (and the OpenAPI document describes).
   */
  command?: CommandName;
  status?: number;
  handler: (
    input: { params: Parsed<P>; query: Parsed<Q>; body: Parsed<B> },
    ctx: CommandContext,
    req: FastifyRequest,
    reply: FastifyReply,
  ) => RestResponse<K> | Promise<RestResponse<K>>;
}

/**
 * One REST route: zod schemas for params, query and body (the same validator the socket
 * commands use), the scope it needs, its response schema and a handler. The route table also
 * feeds /api/openapi.json.
 */
export interface RouteDef {
  key: RestRouteKey;
  method: Method;
  url: string;
  summary: string;
  access: 'open' | Scope | null;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  command?: CommandName;
  status?: number;
  response: z.ZodType;
  handler: (input: { params: unknown; query: unknown; body: unknown }, ctx: CommandContext, req: FastifyRequest, reply: FastifyReply) => unknown;
}

/** Declares the route `key` ('METHOD /path', one of REST_RESPONSES): its handler must answer with that response. */
export function defineRoute<
  K extends RestRouteKey,
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(key: K, spec: RouteSpec<K, P, Q, B>): RouteDef {
  const [method, url] = key.split(' ') as [Method, string];
  return {
    ...(spec as Omit<RouteSpec<K, P, Q, B>, 'handler' | 'params' | 'query' | 'body'>),
    params: spec.params,
    query: spec.query,
    body: spec.body,
    key,
    method,
    url,
    response: REST_RESPONSES[key],
    // The registrar parses each part with the schema the handler's input type was inferred from.
    handler: spec.handler as RouteDef['handler'],
  };
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
        };
        const result = await route.handler(input, ctx ?? anonymous, req, reply);
        if (reply.sent) return reply;
        reply.code(route.status ?? 200);
        return result ?? {};
      },
    });
  }
}

const anonymous: CommandContext = { userId: 'anonymous', tokenId: 'none', principal: 'anonymous', scopes: new Set(), transport: 'rest' };
