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

/** Batching sockets of one shape share a batch: encoded once per flush, the same frame to each. */
describe('batches are shared by sockets of the same shape', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  const BATCH = { enabled: true, batchSize: 3, batchTimeout: 5000, categories: ['swarms'] };
  type Batch = { events: { event: string; data: { name: string } }[] };

  it('encodes each flush once for 20 alike sockets; a socket of another shape gets its own batch', async () => {
    const alike = await Promise.all(Array.from({ length: 20 }, () => t.client()));
    for (const c of alike) {
      await c.request('subscribe', 'swarms');
      await c.request('configure:batching', BATCH);
    }
    const other = await t.client();
    await other.request('subscribe', { categories: ['swarms'], filters: { swarms: { swarmIds: ['s2', 's3'] } } });
    await other.request('configure:batching', BATCH);
    const encoder = (t.server.io as unknown as { encoder: { encode(p: unknown): unknown[] } }).encoder;
    const original = encoder.encode.bind(encoder);
    let batchEncodes = 0;
    encoder.encode = (packet: unknown) => {
      const data = (packet as { data?: unknown[] }).data;
      if (Array.isArray(data) && data[0] === 'batch') batchEncodes++;
      return original(packet);
    };
    const sinks = alike.map((c) => collect<Batch>(c, 'batch'));
    const otherSink = collect<Batch>(other, 'batch');
    for (let i = 1; i <= 6; i++) t.server.bus.publish('swarm:created', { id: `s${i}`, swarmId: `s${i}`, name: `n${i}`, topology: 'mesh' } as never);
    await sleep(300);
    encoder.encode = original;
    for (const s of sinks)
      expect(s.items.map((b) => b.events.map((e) => e.data.name))).toEqual([
        ['n1', 'n2', 'n3'],
        ['n4', 'n5', 'n6'],
      ]);
    // Two flushes for the 20 alike sockets; the other socket's two events wait for its timeout.
    expect(batchEncodes).toBe(2);
    expect(otherSink.items).toHaveLength(0);
    await other.request('configure:batching', { enabled: false });
    expect(otherSink.items.map((b) => b.events.map((e) => e.data.name))).toEqual([['n2', 'n3']]);
  });

  it('a socket joining a shape gets only events from after it joined, and leaving flushes what it was owed', async () => {
    const first = await t.client();
    await first.request('subscribe', 'swarms');
    await first.request('configure:batching', BATCH);
    const firstSink = collect<Batch>(first, 'batch');
    t.server.bus.publish('swarm:created', { id: 'a1', swarmId: 'a1', name: 'before', topology: 'mesh' } as never);
    await sleep(100);
    const late = await t.client();
    const lateSink = collect<Batch>(late, 'batch');
    await late.request('subscribe', 'swarms');
    await late.request('configure:batching', BATCH);
    // Joining sent the group's pending batch to the member already in it.
    expect(firstSink.items.map((b) => b.events.map((e) => e.data.name))).toEqual([['before']]);
    t.server.bus.publish('swarm:created', { id: 'a2', swarmId: 'a2', name: 'after', topology: 'mesh' } as never);
    await sleep(100);
    // A rate limit makes `late` shape events itself: it leaves the group, getting what it held first.
    await late.request('configure:rate-limit', { 'swarm:created': { maxPerSecond: 100 } });
    expect(lateSink.items.map((b) => b.events.map((e) => e.data.name))).toEqual([['after']]);
    await sleep(50);
    expect(firstSink.items.map((b) => b.events.map((e) => e.data.name))).toEqual([['before'], ['after']]);
  });
});
