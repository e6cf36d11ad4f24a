import type { FastifyInstance } from 'fastify';
import { COMMAND_NAMES, type CommandName } from '../../../shared/protocol/command-table';
import type { CommandResult } from '../../../shared/protocol/results';
import type { CommandHandler, HandlersFor } from '../handlers/types';
import type { Authenticate } from '../rest/route';
import { Unauthenticated } from '../rest/unauthenticated';
import type { CoreLink } from './core-link';
import type { StreamLog } from './stream-log';

/** Commands an edge answers itself: they shape its own sockets' delivery, or need only the shared tokens. */
const LOCAL_ON_EDGE = [
  'subscribe',
  'unsubscribe',
  'subscribe:filtered',
  'subscription:update',
  'configure:batching',
  'configure:rate-limit',
  'enable:performance:tracking',
  'auth:refresh',
] as const satisfies readonly CommandName[];
type Forwarded = Exclude<CommandName, (typeof LOCAL_ON_EDGE)[number]>;
const isForwarded = (name: CommandName): name is Forwarded => !(LOCAL_ON_EDGE as readonly CommandName[]).includes(name);

/**
 * Every other command goes to the core. The ack waits until this edge has
 * delivered the events the command caused, so a client sees `swarm:created`
 * before its `swarm:create` ack on an edge exactly as on a single node.
 */
export function forwardedHandlers(link: CoreLink, log: StreamLog): HandlersFor<Forwarded> {
  const forward =
    <C extends Forwarded>(name: C): CommandHandler<C> =>
    async (args, ctx) => {
      const { result, seq } = await link.command(name, args, ctx);
      await log.catchUp(seq);
      // The core's own handler for the same command produced it, typed against the same result.
      return result as CommandResult<C>;
    };
  return Object.fromEntries(COMMAND_NAMES.filter(isForwarded).map((name) => [name, forward(name)])) as HandlersFor<Forwarded>;
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
