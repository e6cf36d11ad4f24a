import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZenFlowClient } from '../../shared/sdk';
import { ManualClock } from '../../electron/engines/clock';
import { collect, nextEvent, startTestServer, type TestServer } from '../helpers/server';
import { swarmCreated } from '../helpers/event-fixtures';

/**
 * Publishes, then waits for a round trip on the same socket: frames arrive in order, so whatever the
 * server sent for those events has arrived once the ack has.
 */
const received = async (client: ZenFlowClient, t: TestServer, events: [string, Record<string, unknown>][], names: string[]) => {
  const sinks = names.map((n) => [n, collect(client, n)] as const);
  for (const [e, p] of events) t.server.bus.publish(e as never, p as never);
  await client.request('configure:rate-limit', {});
  const out: { event: string; payload: Record<string, unknown> }[] = [];
  for (const [n, s] of sinks) {
    s.stop();
    for (const p of s.items) out.push({ event: n, payload: p as Record<string, unknown> });
  }
  return out.sort((a, b) => (a.payload.mark as number) - (b.payload.mark as number));
};

/** A CPU warning as the system engine publishes it. */
const cpuAlert = (message: string) =>
  ({
    id: 'alert-cpu',
    severity: 'warning',
    message,
    component: 'cpu',
    value: 91,
    threshold: 90,
    level: 'warning',
    previousLevel: 'normal',
    recovered: false,
    resolves: null,
  }) as const;

describe('subscriptions and filters (docs/protocol.md §5)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it('a new socket receives no channel events until it subscribes', async () => {
    const c = await t.client();
    const got = await received(c, t, [['swarm:created', { id: 's1', swarmId: 's1', name: 'a', topology: 'mesh', mark: 1 }]], ['swarm:created']);
    expect(got).toEqual([]);
    // Positive control: the same kind of event reaches it once it subscribes.
    await c.request('subscribe', 'swarms');
    const after = await received(c, t, [['swarm:created', { id: 's2', swarmId: 's2', name: 'b', topology: 'mesh', mark: 2 }]], ['swarm:created']);
    expect(after.map((g) => g.payload.mark)).toEqual([2]);
  });

  it('accepts every subscribe form and acks the whole state', async () => {
    const c = await t.client();
    expect(await c.request('subscribe', 'system')).toEqual({ subscriptions: { system: { filter: {}, exclude: [] } } });
    expect(Object.keys((await c.request('subscribe', ['swarms', 'tasks'])).subscriptions)).toEqual(['system', 'swarms', 'tasks']);
    expect(Object.keys((await c.request('subscribe', { channels: ['neural'] })).subscriptions)).toEqual(['system', 'swarms', 'neural', 'tasks']);
    const withFilters = await c.request('subscribe', { categories: ['api'], filters: { api: { endpoints: ['/api/swarms'] } } });
    expect(withFilters.subscriptions.api).toEqual({ filter: { endpoints: ['/api/swarms'] }, exclude: [] });
    expect(Object.keys((await c.request('unsubscribe', ['system', 'api'])).subscriptions)).toEqual(['swarms', 'neural', 'tasks']);
    expect((await c.request('subscribe:filtered', { category: 'neural', filter: { trainingOnly: true } })).subscriptions.neural).toEqual({
      filter: { trainingOnly: true },
      exclude: [],
    });
  });

  it('refuses unknown channels, filter fields and actions with invalid_argument naming what is allowed', async () => {
    const c = await t.client();
    const channel = await c.request('subscribe', 'weather' as never).catch((e: unknown) => e);
    expect(channel).toMatchObject({ code: 'invalid_argument' });
    expect(String((channel as Error).message)).toMatch(/system/);
    const field = await c.request('subscribe', { categories: ['swarms'], filters: { swarms: { colour: 'red' } } } as never).catch((e: unknown) => e);
    expect(field).toMatchObject({ code: 'invalid_argument', details: [{ path: 'filters.swarms.colour' }] });
    expect((field as Error).message).toMatch(/allowed: events, severity, swarmIds/);
    const action = await c.request('subscription:update', { action: 'toggle', category: 'system' } as never).catch((e: unknown) => e);
    expect(action).toMatchObject({ code: 'invalid_argument' });
    expect((action as Error).message).toMatch(/add|remove/);
    const stray = await c.request('subscribe', { categories: ['system'], filters: { swarms: {} } }).catch((e: unknown) => e);
    expect(stray).toMatchObject({ code: 'invalid_argument' });
    // A refused subscribe changed nothing.
    expect(await c.request('unsubscribe', 'system')).toEqual({ subscriptions: {} });
  });

  it('filters by events (relative names), severity and components on system', async () => {
    const c = await t.client();
    await c.request('subscribe', { categories: ['system'], filters: { system: { severity: ['warning', 'critical'], components: ['cpu', 'memory'] } } });
    const got = await received(
      c,
      t,
      [
        ['system:alert', { severity: 'critical', message: 'cpu hot', component: 'cpu', mark: 1 }],
        ['system:alert', { severity: 'warning', message: 'disk', component: 'disk', mark: 2 }],
        ['system:alert', { severity: 'info', message: 'cpu ok', component: 'cpu', mark: 3 }],
        ['system:prediction', { issue: 'memory', confidence: 0.9, timeToIssue: 1000, severity: 'warning', component: 'memory', mark: 4 }],
        ['system:metrics', { cpu: 1, memory: 2, network: 3, swarmCoordination: { efficiency: 1 }, mark: 5 }],
      ],
      ['system:alert', 'system:prediction', 'system:metrics'],
    );
    // metrics are info-level: dropped by the severity rule.
    expect(got.map((g) => g.payload.mark)).toEqual([1, 4]);

    await c.request('subscribe', { categories: ['swarms'], filters: { swarms: { events: ['task:completed', 'swarm:created'], swarmIds: ['prod'] } } });
    const swarmEvents = await received(
      c,
      t,
      [
        ['swarm:task:completed', { swarmId: 'prod', taskId: 't', duration: 1, assignee: 'a', mark: 1 }],
        ['swarm:task:completed', { swarmId: 'dev', taskId: 't', duration: 1, assignee: 'a', mark: 2 }],
        ['swarm:created', { id: 'prod', swarmId: 'prod', name: 'p', topology: 'mesh', mark: 3 }],
        ['swarm:agent:status', { swarmId: 'prod', agentId: 'a', oldStatus: 'idle', newStatus: 'busy', mark: 4 }],
      ],
      ['swarm:task:completed', 'swarm:created', 'swarm:agent:status'],
    );
    expect(swarmEvents.map((g) => g.payload.mark)).toEqual([1, 3]);
  });

  it('filters tasks by taskIds, workflowIds and priority', async () => {
    const c = await t.client();
    await c.request('subscribe', { categories: ['tasks'], filters: { tasks: { priority: ['high', 'urgent'] } } });
    let got = await received(
      c,
      t,
      [
        ['task:created', { id: 't1', title: 'a', priority: 'high', mark: 1 }],
        ['task:created', { id: 't2', title: 'b', priority: 'low', mark: 2 }],
      ],
      ['task:created'],
    );
    expect(got.map((g) => g.payload.mark)).toEqual([1]);
    await c.request('subscribe:filtered', { category: 'tasks', filter: { taskIds: 't9' } });
    got = await received(
      c,
      t,
      [
        ['task:progress', { taskId: 't9', percentage: 5, currentStage: 's', statusMessage: 'm', mark: 1 }],
        ['task:progress', { taskId: 't8', percentage: 5, currentStage: 's', statusMessage: 'm', mark: 2 }],
        ['task:completed', { id: 't9', duration: 1, result: {}, mark: 3 }],
      ],
      ['task:progress', 'task:completed'],
    );
    expect(got.map((g) => g.payload.mark)).toEqual([1, 3]);
    await c.request('subscribe:filtered', { category: 'tasks', filter: { workflowIds: ['w1'] } });
    got = await received(
      c,
      t,
      [
        ['workflow:started', { id: 'w1', steps: [], mark: 1 }],
        ['workflow:step:completed', { workflowId: 'w2', stepId: 'x', mark: 2 }],
        ['workflow:step:completed', { workflowId: 'w1', stepId: 'x', mark: 3 }],
      ],
      ['workflow:started', 'workflow:step:completed'],
    );
    expect(got.map((g) => g.payload.mark)).toEqual([1, 3]);
  });

  it('filters neural by networkIds, networkTypes, trainingOnly and minConfidence', async () => {
    const c = await t.client();
    await c.request('subscribe:filtered', { category: 'neural', filter: { networkTypes: ['code-analysis'], trainingOnly: true } });
    let got = await received(
      c,
      t,
      [
        [
          'neural:training:progress',
          { networkId: 'n1', networkType: 'code-analysis', epoch: 1, totalEpochs: 2, currentLoss: 1, currentAccuracy: 0.5, estimatedTimeRemaining: 1, mark: 1 },
        ],
        [
          'neural:training:progress',
          { networkId: 'n2', networkType: 'vision', epoch: 1, totalEpochs: 2, currentLoss: 1, currentAccuracy: 0.5, estimatedTimeRemaining: 1, mark: 2 },
        ],
        ['neural:inference:metrics', { avgInferenceTime: 1, inferencesPerSecond: 1, wasmEnabled: false, activeNetworks: 1, networkType: 'code-analysis', mark: 3 }],
      ],
      ['neural:training:progress', 'neural:inference:metrics'],
    );
    expect(got.map((g) => g.payload.mark)).toEqual([1]);
    await c.request('subscribe:filtered', { category: 'neural', filter: { networkIds: ['m1'], minConfidence: 0.8 } });
    got = await received(
      c,
      t,
      [
        ['neural:accuracy:drift', { modelId: 'm1', currentAccuracy: 80, baselineAccuracy: 95, severity: 'warning', confidence: 0.9, mark: 1 }],
        ['neural:accuracy:drift', { modelId: 'm1', currentAccuracy: 80, baselineAccuracy: 95, severity: 'warning', confidence: 0.5, mark: 2 }],
        ['neural:accuracy:drift', { modelId: 'm2', currentAccuracy: 80, baselineAccuracy: 95, severity: 'warning', confidence: 0.9, mark: 3 }],
      ],
      ['neural:accuracy:drift'],
    );
    expect(got.map((g) => g.payload.mark)).toEqual([1]);
  });

  it('filters api by endpoints', async () => {
    const c = await t.client();
    await c.request('subscription:update', { action: 'add', category: 'api', filter: { endpoints: ['/api/swarms', '/api/tasks'] } });
    const got = await received(
      c,
      t,
      [
        ['api:slow:request', { endpoint: '/api/swarms', duration: 2000, threshold: 1000, severity: 'warning', mark: 1 }],
        ['api:slow:request', { endpoint: '/api/neural/networks', duration: 2000, threshold: 1000, severity: 'warning', mark: 2 }],
      ],
      ['api:slow:request'],
    );
    expect(got.map((g) => g.payload.mark)).toEqual([1]);
  });

  it('subscription:update remove with a filter excludes; without one unsubscribes', async () => {
    const c = await t.client();
    await c.request('subscribe', 'system');
    const state = await c.request('subscription:update', { action: 'remove', category: 'system', filter: { severity: 'info' } });
    expect(state.subscriptions.system).toEqual({ filter: {}, exclude: [{ severity: ['info'] }] });
    const got = await received(
      c,
      t,
      [
        ['system:alert', { severity: 'info', message: 'x', component: 'cpu', mark: 1 }],
        ['system:alert', { severity: 'critical', message: 'y', component: 'cpu', mark: 2 }],
        ['system:metrics', { cpu: 1, memory: 1, network: 1, swarmCoordination: { efficiency: 1 }, mark: 3 }],
      ],
      ['system:alert', 'system:metrics'],
    );
    expect(got.map((g) => g.payload.mark)).toEqual([2]);
    expect(await c.request('subscription:update', { action: 'remove', category: 'system' })).toEqual({ subscriptions: {} });
  });

  it('never sends an event the socket may not read, whatever it subscribed to', async () => {
    const c = await t.client({ token: await t.token(['read:system']) });
    const state = await c.request('subscribe', ['system', 'swarms']);
    expect(Object.keys(state.subscriptions)).toEqual(['system', 'swarms']);
    const got = await received(
      c,
      t,
      [
        ['swarm:created', { id: 's', swarmId: 's', name: 'n', topology: 'mesh', mark: 1 }],
        ['system:alert', { severity: 'warning', message: 'm', component: 'cpu', mark: 2 }],
      ],
      ['swarm:created', 'system:alert'],
    );
    expect(got.map((g) => g.payload.mark)).toEqual([2]);
  });

  it('every delivered payload carries a timestamp', async () => {
    const c = await t.client();
    await c.request('subscribe', 'swarms');
    const p = nextEvent<{ timestamp: number }>(c, 'swarm:created');
    t.server.bus.publish('swarm:created', swarmCreated('z', 'z', 'ring'));
    expect((await p).timestamp).toBeGreaterThan(Date.now() - 5000);
  });
});

/** On virtual time: batch timeouts, rate-limit windows, reports and pings happen when the test moves the clock. */
describe('delivery shaping (docs/protocol.md §6)', () => {
  let t: TestServer;
  let clock: ManualClock;
  beforeAll(async () => {
    clock = new ManualClock(Date.now());
    t = await startTestServer({ appPingInterval: 300 }, { clock });
  });
  afterAll(() => t.close());

  it('batches matching events in order by size or timeout, and never lets an unbatched event overtake them', async () => {
    const c = await t.client();
    await c.request('subscribe', ['system', 'api']);
    await c.request('configure:batching', { enabled: true, batchSize: 3, batchTimeout: 200, categories: ['system:metrics', 'api:*'] });
    const batches = collect<{ events: { event: string; data: { mark: number } }[] }>(c, 'batch');
    const order: string[] = [];
    c.socket.onAny((event: string) => void order.push(event));
    const alert = nextEvent(c, 'system:alert');
    for (let i = 1; i <= 4; i++) t.server.bus.publish('system:metrics', { cpu: i, memory: 0, network: 0, swarmCoordination: { efficiency: 1 }, mark: i } as never);
    t.server.bus.publish('system:alert', cpuAlert('not batched'));
    t.server.bus.publish('api:metrics', { rps: 1, avgResponseTime: 1, errorRate: 0, concurrentConnections: 1, mark: 5 } as never);
    // The full batch went at once; the fourth event, still held when the unbatched alert came, went before it.
    await alert;
    expect(batches.items.map((b) => b.events.map((e) => e.data.mark))).toEqual([[1, 2, 3], [4]]);
    expect(order.slice(-3)).toEqual(['batch', 'batch', 'system:alert']);
    const third = nextEvent(c, 'batch');
    clock.advance(199);
    await c.request('configure:rate-limit', {});
    expect(batches.items).toHaveLength(2);
    clock.advance(1);
    await third;
    expect(batches.items[2]!.events.map((e) => [e.event, e.data.mark])).toEqual([['api:metrics', 5]]);
    await c.request('configure:batching', { enabled: false });
  });

  it('rate-limits per event with trailing-edge coalescing', async () => {
    const c = await t.client();
    await c.request('subscribe', 'swarms');
    await c.request('configure:rate-limit', { 'swarm:agent:status': { maxPerSecond: 5 } });
    const got = collect<{ mark: number; coalesced?: number }>(c, 'swarm:agent:status');
    const other = nextEvent(c, 'swarm:created');
    for (let i = 1; i <= 10; i++) t.server.bus.publish('swarm:agent:status', { swarmId: 's', agentId: 'a', oldStatus: 'idle', newStatus: 'busy', mark: i } as never);
    t.server.bus.publish('swarm:created', swarmCreated('s', 'n'));
    // An unlimited event published after the burst has arrived: of the burst, only the first has.
    await other;
    expect(got.items.map((p) => p.mark)).toEqual([1]);
    const trailing = nextEvent(c, 'swarm:agent:status');
    clock.advance(200);
    await trailing;
    expect(got.items.map((p) => [p.mark, p.coalesced])).toEqual([
      [1, undefined],
      [10, 9],
    ]);
  });

  it('reports performance metrics at the requested interval', async () => {
    const c = await t.client();
    await c.request('subscribe', 'system');
    await c.request('enable:performance:tracking', { trackLatency: true, trackBandwidth: true, reportInterval: 1000 });
    const report = nextEvent<{ latency: number; eventsPerSecond: number; bandwidth: number; quality: string }>(c, 'performance:metrics');
    for (let i = 0; i < 20; i++) t.server.bus.publish('system:alert', cpuAlert('x'.repeat(100)));
    // The alerts are on their way before the report interval ends.
    await c.request('configure:rate-limit', {});
    clock.advance(1000);
    const m = await report;
    expect(m.eventsPerSecond).toBeGreaterThan(10);
    expect(m.bandwidth).toBeGreaterThan(0);
    expect(['excellent', 'good', 'fair', 'poor']).toContain(m.quality);
    expect(m.latency).toBeGreaterThanOrEqual(0);
  });

  it('pings every socket and echoes pong straight back', async () => {
    const c = await t.client();
    const next = nextEvent<{ timestamp: number }>(c, 'ping');
    // Pings are spread over the interval, round by round: a socket that joined mid-round is pinged in the next one.
    clock.advance(600);
    const ping = await next;
    expect(ping.timestamp).toBeGreaterThan(0);
    const pong = new Promise((r) => c.socket.once('pong' as never, r as never));
    (c.socket as unknown as { emit(e: string, v: unknown): void }).emit('pong', 12345);
    expect(await pong).toBe(12345);
  });

  it('validates delivery settings', async () => {
    const c = await t.client();
    await expect(c.request('configure:batching', { enabled: true, batchSize: 0 } as never)).rejects.toMatchObject({ code: 'invalid_argument', details: [{ path: 'batchSize' }] });
    await expect(c.request('configure:rate-limit', { 'system:metrics': { maxPerSecond: -1 } })).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(c.request('enable:performance:tracking', { reportInterval: 5 } as never)).rejects.toMatchObject({ code: 'invalid_argument' });
  });
});
