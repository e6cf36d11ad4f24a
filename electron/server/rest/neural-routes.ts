import { z } from 'zod';
import type { Engines } from '../../engines';
import type { CommandDispatcher } from '../dispatcher';
import type { RouteDef } from './route';

const runParams = z.strictObject({ runId: z.string().min(1).max(200) });

/** Neural networks, runs and training over REST; the POSTs go through the dispatcher like the socket commands. */
export function neuralRoutes(engines: Pick<Engines, 'neural'>, dispatcher: CommandDispatcher): RouteDef[] {
  const { neural } = engines;
  return [
    {
      method: 'GET',
      url: '/api/neural/networks',
      summary: 'Networks (with their loaded model and drift), recent runs and the built-in datasets',
      access: 'read:neural',
      handler: () => neural.list(),
    },
    {
      method: 'GET',
      url: '/api/neural/runs/:runId',
      summary: 'One training run with its per-epoch loss and accuracy history',
      access: 'read:neural',
      params: runParams,
      handler: ({ params }: { params: { runId: string } }) => neural.getRun(params.runId),
    },
    {
      method: 'POST',
      url: '/api/neural/training',
      summary: 'neural:training:start over REST { networkId, networkType?, dataset, config }',
      access: 'admin:neural',
      command: 'neural:training:start',
      status: 202,
      handler: ({ body }: { body: unknown }, ctx) => dispatcher.invoke('neural:training:start', body, ctx),
    },
    {
      method: 'POST',
      url: '/api/neural/training/:runId/stop',
      summary: 'neural:training:stop over REST',
      access: 'admin:neural',
      command: 'neural:training:stop',
      params: runParams,
      handler: ({ params }: { params: { runId: string } }, ctx) => dispatcher.invoke('neural:training:stop', { runId: params.runId }, ctx),
    },
  ];
}
