import { describe, expectTypeOf, it } from 'vitest';
import type { CommandHandler, HandlersFor } from '../../../electron/server/handlers/types';
import type { CommandInput, CommandName } from '../../../shared/protocol/command-table';
import type { ClientToServerEvents, CommandResponse, ServerToClientEvents } from '../../../shared/protocol/event-map';
import type { ErrorResponse } from '../../../shared/protocol/errors';
import type { EventPayload } from '../../../shared/protocol/events';
import type { Swarm, Task } from '../../../shared/protocol/models';
import type { CommandResult, NetworkView, RunView } from '../../../shared/protocol/results';
import type { ZenFlowServerSocket } from '../../../shared/protocol/socket-types';
import type { RestResponse } from '../../../shared/protocol/rest';
import type { ZenFlowClient } from '../../../shared/sdk';
import { defineRoute } from '../../../electron/server/rest/route';
import { z } from 'zod';

/**
 * Compile-time proofs that the contract holds end to end: `npm run typecheck` compiles this file
 * (every `@ts-expect-error` must still be an error), and vitest runs the few runtime checks.
 */
declare const client: ZenFlowClient;
declare const socket: ZenFlowServerSocket;

describe('command results', () => {
  it('the SDK resolves each command with its declared result', () => {
    expectTypeOf<ReturnType<typeof client.request<'swarm:create'>>>().resolves.toEqualTypeOf<Swarm>();
    expectTypeOf<ReturnType<typeof client.request<'task:cancel'>>>().resolves.toEqualTypeOf<Task>();
    expectTypeOf<ReturnType<typeof client.request<'neural:training:stop'>>>().resolves.toEqualTypeOf<RunView>();
    expectTypeOf<CommandResult<'system:status:get'>['performance']['cpu']>().toBeNumber();
    expectTypeOf<CommandResult<'swarm:analyze'>['bottlenecks'][number]['severity']>().toEqualTypeOf<'warning' | 'critical'>();
  });

  // Compiled, never called: there is no server behind `client`.
  it('a wrong payload does not compile', () => {
    const send = (): void => {
      // @ts-expect-error topology is one of the four topologies
      void client.request('swarm:create', { name: 'a', topology: 'donut', agents: 2 });
      // @ts-expect-error swarm:scale needs a role and a count
      void client.request('swarm:scale', { swarmId: 's' });
      // @ts-expect-error no such command
      void client.request('swarm:explode', {});
    };
    expectTypeOf(send).toBeFunction();
  });

  it('reading a field a result does not have does not compile', () => {
    const read = async (): Promise<void> => {
      const swarm = await client.request('swarm:create', { name: 'a', topology: 'mesh', agents: 2 });
      // @ts-expect-error a swarm has agents, not members
      void swarm.members;
      const run = await client.request('neural:training:stop', { runId: 'r' });
      expectTypeOf(run.status).toEqualTypeOf<RunView['status']>();
      // @ts-expect-error runs carry currentAccuracy (percent), not accuracyPct
      void run.accuracyPct;
    };
    expectTypeOf(read).toBeFunction();
  });

  it('a handler must return its command result', () => {
    const good: CommandHandler<'task:execute:immediate'> = () => ({
      confidence: 1,
      analysis: {
        language: 'javascript',
        lines: { total: 1, code: 1, comment: 0, blank: 0 },
        functions: [],
        maxNesting: 0,
        averageComplexity: 0,
        findings: [],
        parse: { complete: true, errors: 0, parsedRatio: 1 },
        confidence: 1,
      },
    });
    expectTypeOf(good).toBeFunction();
    // @ts-expect-error auth:refresh answers { token, expiresAt }
    const wrong: CommandHandler<'auth:refresh'> = () => ({ token: 'x' });
    // @ts-expect-error a status the protocol does not have
    const badStatus: CommandHandler<'auth:permissions:request'> = () => ({ requestId: 'r', status: 'maybe' });
    void wrong;
    void badStatus;
  });

  it('a handler table missing a command does not compile', () => {
    // @ts-expect-error 'swarm:analyze' has no handler
    const partial: HandlersFor<'swarm:create' | 'swarm:analyze'> = {
      'swarm:create': () => ({ id: 's', name: 'a', topology: 'mesh', createdAt: 0, agents: [] }),
    };
    void partial;
  });
});

describe('socket events', () => {
  it('the server may emit only declared events with their payloads', () => {
    const emit = (): void => {
      socket.emit('swarm:deleted', { swarmId: 's', name: 'a', agents: 0, timestamp: 1 });
      // @ts-expect-error swarm:deleted names its swarmId
      socket.emit('swarm:deleted', { timestamp: 1 });
      // @ts-expect-error not an event of the protocol
      socket.emit('swarm:vanished', { swarmId: 's' });
    };
    expectTypeOf(emit).toBeFunction();
  });

  it('clients see payloads with the engines’ types and units', () => {
    expectTypeOf<EventPayload<'neural:training:progress'>['currentAccuracy']>().toBeNumber();
    expectTypeOf<EventPayload<'task:progress'>['taskId']>().toBeString();
    expectTypeOf<Parameters<ServerToClientEvents['swarm:created']>[0]['topology']>().toEqualTypeOf<Swarm['topology']>();
    expectTypeOf<NetworkView['accuracy']>().toEqualTypeOf<number | null>();
  });

  it('a command’s ack receives its result or the error envelope', () => {
    expectTypeOf<Parameters<Parameters<ClientToServerEvents['task:create']>[1]>[0]>().toEqualTypeOf<CommandResponse<'task:create'>>();
    expectTypeOf<CommandResponse<'task:create'>>().toEqualTypeOf<Task | ErrorResponse>();
    expectTypeOf<Parameters<ClientToServerEvents['task:create']>[0]>().toEqualTypeOf<CommandInput<'task:create'>>();
    expectTypeOf<CommandName>().toExtend<keyof ClientToServerEvents>();
  });
});

describe('REST', () => {
  it('a route returns its declared response', () => {
    expectTypeOf<RestResponse<'GET /api/swarms'>>().toEqualTypeOf<{ swarms: Swarm[] }>();
    defineRoute('GET /api/tasks/:id', {
      summary: 'test',
      access: null,
      params: z.strictObject({ id: z.string() }),
      // @ts-expect-error a task route answers with a task, not a swarm
      handler: () => ({ id: 's', name: 'a', topology: 'mesh', createdAt: 0, agents: [] }),
    });
  });

  it('a handler’s input is inferred from the route’s schemas', () => {
    defineRoute('GET /api/system/history', {
      summary: 'test',
      access: null,
      query: z.strictObject({ window: z.enum(['15m', '1h', '24h']), points: z.coerce.number() }),
      handler: ({ query, body }) => {
        expectTypeOf(query.points).toBeNumber();
        expectTypeOf(body).toBeUnknown();
        // @ts-expect-error the query has no `limit`
        void query.limit;
        return { window: query.window, points: [] };
      },
    });
  });

  it('a route key outside the REST table does not compile', () => {
    // @ts-expect-error no such route in REST_RESPONSES
    defineRoute('GET /api/nowhere', { summary: 'test', access: null, handler: () => ({}) });
  });
});
