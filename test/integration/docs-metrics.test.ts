import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from '../../shared/protocol/command-table';
import { SERVER_EVENTS } from '../../shared/protocol/events';
import { startTestServer, type TestServer } from '../helpers/server';

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
