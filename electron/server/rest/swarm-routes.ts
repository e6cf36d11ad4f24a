import { z } from 'zod';
import { TASK_PRIORITIES } from '../../../shared/protocol/filters';
import { TASK_STATES } from '../../../shared/protocol/models';
import type { Engines } from '../../engines';
import type { CommandDispatcher } from '../dispatcher';
import { defineRoute, type RouteDef } from './route';

const idParams = z.strictObject({ id: z.string().min(1).max(200) });
const list = <T extends z.ZodType>(item: T) => z.union([item, z.array(item)]).optional();

/** Swarms, tasks and workflows over REST; writes go through the same commands as the socket. */
export function swarmRoutes({ swarms }: Engines, dispatcher: CommandDispatcher): RouteDef[] {
  return [
    defineRoute('GET /api/swarms', { summary: 'All swarms with their agents', access: 'read:swarms', handler: () => ({ swarms: swarms.listSwarms() }) }),
    defineRoute('POST /api/swarms', {
      summary: 'swarm:create { name, topology, agents } (fires swarm:created)',
      access: 'write:swarms',
      command: 'swarm:create',
      status: 201,
      handler: ({ body }, ctx) => dispatcher.invoke('swarm:create', body, ctx),
    }),
    defineRoute('GET /api/swarms/:id', {
      summary: 'One swarm',
      access: 'read:swarms',
      params: idParams,
      handler: ({ params }) => swarms.getSwarm(params.id),
    }),
    defineRoute('DELETE /api/swarms/:id', {
      summary: 'swarm:delete',
      access: 'write:swarms',
      params: idParams,
      handler: ({ params }, ctx) => dispatcher.invoke('swarm:delete', { swarmId: params.id }, ctx),
    }),
    defineRoute('GET /api/tasks', {
      summary: 'Tasks, newest first, filtered by state, priority, swarm or workflow',
      access: 'read:tasks',
      query: z.strictObject({
        state: list(z.enum(TASK_STATES)),
        priority: list(z.enum(TASK_PRIORITIES)),
        swarmId: z.string().max(200).optional(),
        workflowId: z.string().max(200).optional(),
        limit: z.coerce.number().int().min(1).max(5000).optional(),
      }),
      handler: ({ query }) => ({ tasks: swarms.listTasks(query) }),
    }),
    defineRoute('POST /api/tasks', {
      summary: 'task:create',
      access: 'write:tasks',
      command: 'task:create',
      status: 201,
      handler: ({ body }, ctx) => dispatcher.invoke('task:create', body, ctx),
    }),
    defineRoute('GET /api/tasks/:id', {
      summary: 'One task',
      access: 'read:tasks',
      params: idParams,
      handler: ({ params }) => swarms.getTask(params.id),
    }),
    defineRoute('POST /api/tasks/:id/cancel', {
      summary: 'task:cancel',
      access: 'write:tasks',
      params: idParams,
      handler: ({ params }, ctx) => dispatcher.invoke('task:cancel', { taskId: params.id }, ctx),
    }),
    defineRoute('GET /api/workflows', { summary: 'All workflows with step states', access: 'read:tasks', handler: () => ({ workflows: swarms.listWorkflows() }) }),
    defineRoute('POST /api/workflows', {
      summary: 'workflow:create',
      access: 'write:tasks',
      command: 'workflow:create',
      status: 201,
      handler: ({ body }, ctx) => dispatcher.invoke('workflow:create', body, ctx),
    }),
    defineRoute('GET /api/workflows/:id', {
      summary: 'One workflow',
      access: 'read:tasks',
      params: idParams,
      handler: ({ params }) => swarms.getWorkflow(params.id),
    }),
  ];
}
