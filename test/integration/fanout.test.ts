import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZenFlowClient } from '../../shared/sdk';
import { collect, sleep, startTestServer, type TestServer } from '../helpers/server';
import { swarmCreated } from '../helpers/event-fixtures';

/** The hot path: one event to many sockets is encoded once, not once per socket. */
describe('fan-out encodes each payload once', () => {
  let t: TestServer;
  let clients: ZenFlowClient[];
  beforeAll(async () => {
    t = await startTestServer();
    clients = await Promise.all(Array.from({ length: 40 }, () => t.client()));
    await Promise.all(clients.map((c) => c.request('subscribe', 'swarms')));
  });
  afterAll(() => t.close());

  it('encodes once for 40 plain subscribers, and only shaped sockets get their own frames', async () => {
    const encoder = (t.server.io as unknown as { encoder: { encode(p: unknown): unknown[] } }).encoder;
    const original = encoder.encode.bind(encoder);
    const encoded: string[] = [];
    encoder.encode = (packet: unknown) => {
      const data = (packet as { data?: unknown[] }).data;
      if (Array.isArray(data) && data[0] === 'swarm:created') encoded.push(String(data[0]));
      return original(packet);
    };
    // Two sockets shape this event themselves (a rate limit), so they can't share the frame.
    await clients[0]!.request('configure:rate-limit', { 'swarm:created': { maxPerSecond: 100 } });
    await clients[1]!.request('configure:rate-limit', { 'swarm:created': { maxPerSecond: 100 } });
    const sinks = clients.map((c) => collect(c, 'swarm:created'));
    t.server.bus.publish('swarm:created', swarmCreated('f', 'fan'));
    await sleep(300);
    encoder.encode = original;
    expect(sinks.every((s) => s.items.length === 1)).toBe(true);
    expect(encoded).toHaveLength(1 + 2);
  });
});
