import { z } from 'zod';
import { CONFIG_COMPONENTS } from '../../../shared/protocol/config-schemas';
import type { Engines } from '../../engines';
import type { CommandDispatcher } from '../dispatcher';
import { defineRoute, type RouteDef } from './route';

const WINDOWS = { '15m': 15 * 60_000, '1h': 3600_000, '24h': 86_400_000 } as const;

/** System status, chart history, alerts and configuration over REST. */
export function systemRoutes(engines: Engines, dispatcher: CommandDispatcher): RouteDef[] {
  const { system, config } = engines;
  return [
    defineRoute('GET /api/system/status', {
      summary: 'The current SystemStatus (as system:status)',
      access: 'read:system',
      handler: (_i, ctx) => dispatcher.invoke('system:status:get', undefined, ctx),
    }),
    defineRoute('GET /api/system/history', {
      summary: 'Measured host metrics for charts: window 15m | 1h | 24h, downsampled to at most `points`',
      access: 'read:system',
      query: z.strictObject({ window: z.enum(['15m', '1h', '24h']).default('15m'), points: z.coerce.number().int().min(10).max(2000).default(300) }),
      handler: ({ query }) => ({
        window: query.window,
        points: system.history(Date.now() - WINDOWS[query.window], query.points),
      }),
    }),
    defineRoute('GET /api/system/alerts', {
      summary: 'Recent alerts, newest first',
      access: 'read:system',
      query: z.strictObject({
        limit: z.coerce.number().int().min(1).max(500).default(100),
        unacknowledged: z.enum(['true', 'false']).optional(),
      }),
      handler: ({ query }) => ({
        alerts: system.alerts({ limit: query.limit, unacknowledgedOnly: query.unacknowledged === 'true' }),
      }),
    }),
    defineRoute('POST /api/system/alerts/:id/ack', {
      summary: 'Acknowledge an alert',
      access: 'write:system',
      params: z.strictObject({ id: z.string().min(1).max(200) }),
      handler: ({ params }, ctx) => system.acknowledgeAlert(params.id, ctx.userId),
    }),
    defineRoute('GET /api/system/recommendations', {
      summary: 'Recommendations derived from the measured state',
      access: 'read:system',
      handler: (_i, ctx) => dispatcher.invoke('system:recommendations:get', {}, ctx),
    }),
    defineRoute('GET /api/config', {
      summary: 'Every component’s current configuration and version',
      access: 'read:system',
      handler: () => ({
        components: CONFIG_COMPONENTS.map((c) => ({ component: c, version: config.version(c), config: config.get(c) })),
      }),
    }),
    defineRoute('POST /api/config/:component', {
      summary: 'config:update over REST { settings, dryRun? }',
      access: 'admin:system',
      command: 'config:update',
      params: z.strictObject({ component: z.string().min(1).max(100) }),
      handler: ({ params, body }, ctx) => dispatcher.invoke('config:update', { ...(typeof body === 'object' && body !== null ? body : {}), component: params.component }, ctx),
    }),
    defineRoute('GET /api/config/:component/history', {
      summary: 'config:history over REST',
      access: 'admin:system',
      command: 'config:history',
      params: z.strictObject({ component: z.string().min(1).max(100) }),
      handler: ({ params }, ctx) => dispatcher.invoke('config:history', params, ctx),
    }),
  ];
}
