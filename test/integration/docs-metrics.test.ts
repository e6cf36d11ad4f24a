import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_NAMES, COMMANDS } from '../../shared/protocol/command-table';
import { EVENT_SCHEMAS, SERVER_EVENTS, type ServerEventName } from '../../shared/protocol/events';
import { REST_RESPONSES, type RestRouteKey } from '../../shared/protocol/rest';
import { RESULT_SCHEMAS } from '../../shared/protocol/results';
import { nextEvent, startTestServer, type TestServer } from '../helpers/server';

const isServerEvent = (name: string): name is ServerEventName => (SERVER_EVENTS as readonly string[]).includes(name);

type Operation = {
  requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> };
  responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }>;
  'x-command'?: string;
};
type OpenApi = { paths: Record<string, Record<string, Operation>> };
type AsyncApi = {
  channels: Record<'commands' | 'results' | 'events', { messages: Record<string, { payload: Record<string, unknown> }> }>;
  operations: Record<string, { reply?: { messages: { $ref: string }[] } }>;
};

/** The POST routes that mirror a command with the command's payload as their whole body. */
const COMMAND_MIRRORS = {
  'POST /api/swarms': 'swarm:create',
  'POST /api/tasks': 'task:create',
  'POST /api/workflows': 'workflow:create',
  'POST /api/neural/training': 'neural:training:start',
  'POST /api/analysis': 'task:execute:immediate',
} as const;

const operationOf = (doc: OpenApi, key: RestRouteKey): Operation | undefined => {
  const [method, url] = key.split(' ') as [string, string];
  return doc.paths[url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
};

describe('self-description and Prometheus metrics', () => {
  let t: TestServer;
  let auth: { authorization: string };
  beforeAll(async () => {
    t = await startTestServer();
    auth = { authorization: `Bearer ${await t.token()}` };
  });
  afterAll(() => t.close());

  it('/api/openapi.json describes every REST route with its body schema', async () => {
    const doc = (await (await fetch(`${t.url}/api/openapi.json`, { headers: auth })).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> } }>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/health', '/api/swarms', '/api/swarms/{id}', '/api/tasks', '/api/tokens/{jti}', '/api/neural/networks']));
    const body = doc.paths['/api/tokens']?.post?.requestBody?.content['application/json']?.schema;
    expect(Object.keys(body?.properties ?? {})).toEqual(expect.arrayContaining(['permissions', 'ttl', 'userId']));
  });

  it('/api/asyncapi.json lists every command and event', async () => {
    const doc = (await (await fetch(`${t.url}/api/asyncapi.json`, { headers: auth })).json()) as {
      channels: { commands: { messages: Record<string, unknown> }; events: { messages: Record<string, unknown> } };
    };
    expect(Object.keys(doc.channels.commands.messages).sort()).toEqual([...COMMAND_NAMES].sort());
    expect(Object.keys(doc.channels.events.messages).sort()).toEqual([...SERVER_EVENTS].sort());
  });

  it('every REST route is in /api/openapi.json with its response schema, and every command mirror with its request body', async () => {
    const doc = (await (await fetch(`${t.url}/api/openapi.json`, { headers: auth })).json()) as OpenApi;
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`));
    // Pairing is served only when the desktop app hosts the LAN; every other route is on every server.
    const routes = (Object.keys(REST_RESPONSES) as RestRouteKey[]).filter((k) => k !== 'POST /api/pair');
    expect(documented.sort()).toEqual([...routes].sort());
    for (const key of routes) {
      const ok = Object.entries(operationOf(doc, key)!.responses).find(([code]) => code !== 'default');
      expect(Object.keys(ok?.[1].content ?? {}), key).toHaveLength(1);
    }
    for (const [key, command] of Object.entries(COMMAND_MIRRORS)) {
      const op = operationOf(doc, key as RestRouteKey)!;
      expect(op['x-command'], key).toBe(command);
      const properties = Object.keys(op.requestBody?.content['application/json']?.schema.properties ?? {});
      const fields = Object.keys((COMMANDS[command].schema as unknown as { shape?: object }).shape ?? {});
      // Code analysis is a union on `type`; its JSON schema lists the variants instead of properties.
      if (fields.length) expect(properties.sort(), key).toEqual(fields.sort());
      else expect(op.requestBody, key).toBeDefined();
    }
    const config = operationOf(doc, 'POST /api/config/:component')!;
    expect(Object.keys(config.requestBody?.content['application/json']?.schema.properties ?? {}).sort()).toEqual(['dryRun', 'settings']);
    expect(operationOf(doc, 'POST /api/tasks/:id/cancel')!.requestBody).toBeUndefined();
  });

  it('/api/asyncapi.json gives every command a reply with its result schema', async () => {
    const doc = (await (await fetch(`${t.url}/api/asyncapi.json`, { headers: auth })).json()) as AsyncApi;
    expect(Object.keys(doc.channels.results.messages).sort()).toEqual([...COMMAND_NAMES].sort());
    for (const name of COMMAND_NAMES) {
      expect(doc.operations[name]?.reply?.messages[0]?.$ref, name).toBe(`#/channels/results/messages/${name}`);
      expect(doc.channels.results.messages[name]?.payload['oneOf'], name).toHaveLength(2);
    }
    const swarmResult = (doc.channels.results.messages['swarm:create']!.payload['oneOf'] as { properties?: Record<string, unknown> }[])[0]!;
    expect(Object.keys(swarmResult.properties ?? {})).toEqual(expect.arrayContaining(['id', 'name', 'topology', 'agents']));
  });

  it('what the server answers and emits matches the documented schemas', async () => {
    const client = await t.client();
    const seen: { event: string; payload: unknown }[] = [];
    client.socket.onAny((event: string, payload: unknown) => seen.push({ event, payload }));
    await client.request('subscribe', ['swarms', 'tasks']);
    const swarm = await client.request('swarm:create', { name: 'Docs', topology: 'mesh', agents: 2 });
    expect(RESULT_SCHEMAS['swarm:create'].safeParse(swarm).error).toBeUndefined();
    const task = await client.request('task:create', { title: 'Document', swarmId: swarm.id });
    expect(RESULT_SCHEMAS['task:create'].safeParse(task).error).toBeUndefined();
    await nextEvent(client, 'task:started', 10_000, (p: { id?: string }) => p.id === task.id);
    const events = seen.filter((e) => isServerEvent(e.event));
    expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(['swarm:created', 'task:created', 'task:started']));
    for (const e of events) expect(EVENT_SCHEMAS[e.event as ServerEventName].safeParse(e.payload).error, e.event).toBeUndefined();
    expect(RESULT_SCHEMAS.subscribe.safeParse(await client.request('subscribe', 'system')).error).toBeUndefined();
    expect(RESULT_SCHEMAS['system:status:get'].safeParse(await client.request('system:status:get')).error).toBeUndefined();
    const reads: RestRouteKey[] = [
      'GET /api/health',
      'GET /api/whoami',
      'GET /api/swarms',
      'GET /api/tasks',
      'GET /api/workflows',
      'GET /api/system/status',
      'GET /api/system/history',
      'GET /api/system/alerts',
      'GET /api/system/recommendations',
      'GET /api/config',
      'GET /api/neural/networks',
      'GET /api/tokens',
      'GET /api/auth/requests',
      'GET /api/events',
    ];
    for (const key of reads) {
      const res = await fetch(`${t.url}${key.slice(4)}`, { headers: auth });
      expect(res.status, key).toBe(200);
      expect(REST_RESPONSES[key].safeParse(await res.json()).error, key).toBeUndefined();
    }
    const one = await fetch(`${t.url}/api/swarms/${swarm.id}`, { headers: auth });
    expect(REST_RESPONSES['GET /api/swarms/:id'].safeParse(await one.json()).error).toBeUndefined();
  });

  it('/metrics serves Prometheus text to read:system holders only', async () => {
    const client = await t.client();
    await client.request('subscribe', 'system');
    const res = await fetch(`${t.url}/metrics`, { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/^zenflow_connected_sockets \d+$/m);
    expect(text).toMatch(/zenflow_requests_total\{endpoint="/);
    expect(text).toMatch(/zenflow_process_cpu_user_seconds_total/);
    const swarmsOnly = await t.token(['read:swarms']);
    expect((await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${swarmsOnly}` } })).status).toBe(403);
    expect((await fetch(`${t.url}/metrics`)).status).toBe(401);
  });
});
