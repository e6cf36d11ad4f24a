import type { FastifyInstance } from 'fastify';
import { COMMAND_NAMES, type CommandName } from '../../../shared/protocol/command-table';
import type { CommandHandler, CommandHandlers } from '../handlers/types';
import type { Authenticate } from '../rest/route';
import { Unauthenticated } from '../rest/unauthenticated';
import type { CoreLink } from './core-link';
import type { StreamLog } from './stream-log';

/** Commands an edge answers itself: they shape its own sockets' delivery, or need only the shared tokens. */
const LOCAL_ON_EDGE = new Set<CommandName>([
  'subscribe',
  'unsubscribe',
  'subscribe:filtered',
  'subscription:update',
  'configure:batching',
  'configure:rate-limit',
  'enable:performance:tracking',
  'auth:refresh',
]);

/**
 * Every other command goes to the core. The ack waits until this edge has
 * delivered the events the command caused, so a client sees `swarm:created`
 * before its `swarm:create` ack on an edge exactly as on a single node.
 */
export function forwardedHandlers(link: CoreLink, log: StreamLog): CommandHandlers {
  const handlers: Record<string, CommandHandler<CommandName>> = {};
  for (const name of COMMAND_NAMES) {
    if (LOCAL_ON_EDGE.has(name)) continue;
    handlers[name] = async (args, ctx) => {
      const { result, seq } = await link.command(name, args, ctx);
      await log.catchUp(seq);
      return result;
    };
  }
  return handlers as CommandHandlers;
}

/**
 * REST the edge does not serve itself (engine reads and writes, permission
 * requests) is forwarded to the core once the caller's token checked out here
 * (and its budget was charged here); the core answers it through its own routes.
 */
export function forwardRest(app: FastifyInstance, authenticate: Authenticate, link: CoreLink, log: StreamLog): void {
  app.route({
    method: ['GET', 'POST', 'PUT', 'DELETE'],
    url: '/api/*',
    handler: async (req, reply) => {
      if (!(await authenticate(req))) throw new Unauthenticated('forbidden', 'auth: missing token', { auth: 'missing_token' });
      const headers: Record<string, string> = { authorization: req.headers.authorization! };
      if (req.headers['content-type']) headers['content-type'] = req.headers['content-type'];
      const body = req.body === undefined || req.body === null ? undefined : typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
      const answer = await link.send({ kind: 'rest', method: req.method as 'GET', url: req.url, headers, body, remoteAddress: req.ip });
      await log.catchUp(answer.seq);
      void reply.code(answer.status ?? 502);
      if (answer.contentType) void reply.type(answer.contentType);
      return reply.send(answer.body ?? '');
    },
  });
}
