import { z } from 'zod';
import { COMMANDS } from '../../../shared/protocol/command-table';
import { EVENT_SCHEMAS } from '../../../shared/protocol/events';
import type { RouteDef } from './route';

const jsonSchema = (schema: z.ZodType): unknown => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

/** OpenAPI for REST and AsyncAPI for Socket.IO, generated from the same zod schemas that validate requests. */
export function docsRoutes(routes: () => readonly RouteDef[], version: string): RouteDef[] {
  return [
    {
      method: 'GET',
      url: '/api/openapi.json',
      summary: 'OpenAPI 3.1 description of the REST API',
      access: null,
      handler: () => {
        const paths: Record<string, Record<string, unknown>> = {};
        for (const r of routes()) {
          const path = r.url.replace(/:(\w+)/g, '{$1}');
          paths[path] ??= {};
          paths[path][r.method.toLowerCase()] = {
            summary: r.summary,
            security: r.access === 'open' ? [] : [{ bearer: [] }],
            'x-required-scope': r.access === 'open' || r.access === null ? undefined : r.access,
            parameters: [...r.url.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } })),
            requestBody: r.body ? { content: { 'application/json': { schema: jsonSchema(r.body) } } } : undefined,
            responses: {
              [String(r.status ?? 200)]: { description: 'success' },
              default: { description: 'error envelope { error: { code, message, details? } }' },
            },
          };
        }
        return {
          openapi: '3.1.0',
          info: { title: 'Zen Flow REST API', version },
          components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
          paths,
        };
      },
    },
    {
      method: 'GET',
      url: '/api/asyncapi.json',
      summary: 'AsyncAPI 3 description of the Socket.IO API',
      access: null,
      handler: () => ({
        asyncapi: '3.0.0',
        info: { title: 'Zen Flow real-time API', version, description: 'Socket.IO v4 on path /socket.io; see docs/protocol.md in the repository' },
        channels: {
          commands: {
            messages: Object.fromEntries(
              Object.entries(COMMANDS).map(([name, c]) => [name, { name, payload: jsonSchema(c.schema), 'x-required-scope': c.scope }]),
            ),
          },
          events: {
            messages: Object.fromEntries(Object.entries(EVENT_SCHEMAS).map(([name, s]) => [name, { name, payload: jsonSchema(s) }])),
          },
        },
        operations: {
          sendCommand: { action: 'send', channel: { $ref: '#/channels/commands' } },
          receiveEvent: { action: 'receive', channel: { $ref: '#/channels/events' } },
        },
      }),
    },
  ];
}
