import { z } from 'zod';
import type { Engines } from '../../engines';
import type { CommandDispatcher } from '../dispatcher';
import { defineRoute, type RouteDef } from './route';

const runParams = z.strictObject({ runId: z.string().min(1).max(200) });

/** Neural networks, runs and training over REST; the POSTs go through the dispatcher like the socket commands. */
export function neuralRoutes(engines: Pick<Engines, 'neural'>, dispatcher: CommandDispatcher): RouteDef[] {
  const { neural } = engines;
  return [
    defineRoute('GET /api/neural/networks', {
      summary: 'Networks (with their loaded model and drift), recent runs and the built-in datasets',
      access: 'read:neural',
      handler: () => neural.list(),
    }),
    defineRoute('GET /api/neural/runs/:runId', {
      summary: 'One training run with its per-epoch loss and accuracy history',
      access: 'read:neural',
      params: runParams,
      handler: ({ params }) => neural.getRun(params.runId),
    }),
    defineRoute('POST /api/neural/training', {
      summary: 'neural:training:start over REST { networkId, networkType?, dataset, config }',
      access: 'admin:neural',
      command: 'neural:training:start',
      status: 202,
      handler: ({ body }, ctx) => dispatcher.invoke('neural:training:start', body, ctx),
    }),
    defineRoute('POST /api/neural/training/:runId/stop', {
      summary: 'neural:training:stop over REST',
      access: 'admin:neural',
      command: 'neural:training:stop',
      params: runParams,
      handler: ({ params }, ctx) => dispatcher.invoke('neural:training:stop', { runId: params.runId }, ctx),
    }),
  ];
}
