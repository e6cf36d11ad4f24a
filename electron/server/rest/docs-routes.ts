import { z } from 'zod';
import { COMMANDS } from '../../../shared/protocol/command-table';
import { ERROR_CODES } from '../../../shared/protocol/errors';
import { EVENT_SCHEMAS } from '../../../shared/protocol/events';
import { RESULT_SCHEMAS } from '../../../shared/protocol/results';
import { defineRoute, type RouteDef } from './route';

/** Requests are described as clients write them (before defaults), responses as the server sends them. */
const requestSchema = (schema: z.ZodType): Record<string, unknown> => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
const responseSchema = (schema: z.ZodType): Record<string, unknown> => z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' });

/** The §4 error envelope, as acks and REST send it. */
const errorEnvelope = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    details: z.union([z.array(z.object({ path: z.string(), message: z.string() })), z.record(z.string(), z.unknown())]).optional(),
  }),
});

const pathParams = (url: string): string[] => [...url.matchAll(/:(\w+)/g)].map((m) => m[1]!);

/**
 * What a POST carries: its own body schema, or for a command mirror the command's payload
 * without the fields the path supplies (`/api/config/:component` → `{ settings, dryRun? }`).
 */
export function requestBodyOf(route: RouteDef): z.ZodType | undefined {
  if (route.body) return route.body;
  if (!route.command || route.method === 'GET' || route.method === 'DELETE') return undefined;
  const schema = COMMANDS[route.command].schema as z.ZodType;
  const fromPath = pathParams(route.url);
  if (fromPath.length === 0) return schema;
  if (!(schema instanceof z.ZodObject)) return undefined;
  const shape = Object.fromEntries(Object.entries((schema as z.ZodObject).shape).filter(([key]) => !fromPath.includes(key)));
  return Object.keys(shape).length > 0 ? z.strictObject(shape) : undefined;
}

/** Query parameters from the route's query schema, one OpenAPI parameter per property. */
function queryParams(route: RouteDef): Record<string, unknown>[] {
  if (!route.query) return [];
  const schema = requestSchema(route.query) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, s]) => ({ name, in: 'query', required: schema.required?.includes(name) ?? false, schema: s }));
}

function openApi(routes: readonly RouteDef[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.url.replace(/:(\w+)/g, '{$1}');
    const body = requestBodyOf(r);
    const mediaType = r.url === '/metrics' ? 'text/plain' : 'application/json';
    paths[path] ??= {};
    paths[path][r.method.toLowerCase()] = {
      summary: r.summary,
      security: r.access === 'open' ? [] : [{ bearer: [] }],
      'x-required-scope': r.access === 'open' || r.access === null ? undefined : r.access,
      'x-command': r.command,
      parameters: [...pathParams(r.url).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })), ...queryParams(r)],
      requestBody: body ? { required: true, content: { 'application/json': { schema: requestSchema(body) } } } : undefined,
      responses: {
        [String(r.status ?? 200)]: { description: 'success', content: { [mediaType]: { schema: responseSchema(r.response) } } },
        default: { description: 'error envelope', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Zen Flow REST API', version },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Error: responseSchema(errorEnvelope) },
    },
    paths,
  };
}

/** Each command is a message sent with an ack; the ack's reply is its result message or the error envelope. */
function asyncApi(version: string): Record<string, unknown> {
  const commands = Object.entries(COMMANDS);
  return {
    asyncapi: '3.0.0',
    info: { title: 'Zen Flow real-time API', version, description: 'Socket.IO v4 on path /socket.io; see docs/protocol.md in the repository' },
    channels: {
      commands: {
        messages: Object.fromEntries(commands.map(([name, c]) => [name, { name, payload: requestSchema(c.schema), 'x-required-scope': c.scope }])),
      },
      results: {
        description: 'Command acks: the result on success, else the error envelope',
        messages: Object.fromEntries(
          commands.map(([name]) => [
            name,
            { name: `${name} ack`, payload: { oneOf: [responseSchema(RESULT_SCHEMAS[name as keyof typeof RESULT_SCHEMAS]), { $ref: '#/components/schemas/Error' }] } },
          ]),
        ),
      },
      events: {
        messages: Object.fromEntries(Object.entries(EVENT_SCHEMAS).map(([name, s]) => [name, { name, payload: responseSchema(s) }])),
      },
    },
    operations: {
      ...Object.fromEntries(
        commands.map(([name]) => [
          name,
          {
            action: 'send',
            channel: { $ref: '#/channels/commands' },
            messages: [{ $ref: `#/channels/commands/messages/${name}` }],
            reply: { channel: { $ref: '#/channels/results' }, messages: [{ $ref: `#/channels/results/messages/${name}` }] },
          },
        ]),
      ),
      receiveEvent: { action: 'receive', channel: { $ref: '#/channels/events' } },
    },
    components: { schemas: { Error: responseSchema(errorEnvelope) } },
  };
}

/** OpenAPI for REST and AsyncAPI for Socket.IO, generated from the same zod schemas that validate requests and type results. */
export function docsRoutes(routes: () => readonly RouteDef[], version: string): RouteDef[] {
  return [
    defineRoute('GET /api/openapi.json', {
      summary: 'OpenAPI 3.1 description of the REST API',
      access: null,
      handler: () => openApi(routes(), version),
    }),
    defineRoute('GET /api/asyncapi.json', {
      summary: 'AsyncAPI 3 description of the Socket.IO API',
      access: null,
      handler: () => asyncApi(version),
    }),
  ];
}
