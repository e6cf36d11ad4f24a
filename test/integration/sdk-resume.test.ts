import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createZenFlowServer, type ZenFlowServer } from '../../electron/server/app';
import { openAppDatabase } from '../../electron/engines/migrations';
import { FileSecretStore } from '../../electron/store/secret-store';
import { channelOf } from '../../shared/protocol/channels';
import type { Recovery } from '../../shared/protocol/models';
import { createZenFlowClient, type ZenFlowClient } from '../../shared/sdk';
import { sleep, startTestServer } from '../helpers/server';

/** Every logged event a client receives, batches unpacked. */
function record(client: ZenFlowClient): { event: string; seq: number; data: Record<string, unknown> }[] {
  const seen: { event: string; seq: number; data: Record<string, unknown> }[] = [];
  client.socket.onAny((event: string, data: Record<string, unknown> & { events?: { event: string; data: Record<string, unknown> }[] }) => {
    if (event === 'batch') for (const item of data.events ?? []) seen.push({ event: item.event, seq: item.data.seq as number, data: item.data });
    else if (channelOf(event) !== null) seen.push({ event, seq: data.seq as number, data });
  });
  return seen;
}

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** 100 clients on one token from one address: more than the per-address and per-token defaults allow. */
const MANY_CLIENTS = { maxConnectionsPerAddress: 500, maxNewConnectionsPerSecond: 500, maxSocketsPerToken: 500 };

async function restart(dataDir: string, port: number): Promise<ZenFlowServer> {
  const server = await createZenFlowServer(
    { port, dataDir, logLevel: 'silent', engines: false, ...MANY_CLIENTS },
    { secretStore: new FileSecretStore(join(dataDir, 'secrets.json')) },
  );
  await server.listen();
  return server;
}

const quickRetry = { transports: ['websocket' as const], reconnectionDelay: 100, reconnectionDelayMax: 1000 };

describe('the SDK resumes by itself (docs/protocol.md §10)', () => {
  it('after a restart it gets what it missed, through its filters and exclusions, restored in one request', async () => {
    const first = await startTestServer();
    const port = Number(new URL(first.url).port);
    const token = await first.token();
    const client = createZenFlowClient({ url: first.url, auth: { token }, ...quickRetry });
    const recoveries: Recovery[] = [];
    client.onRecovery((r) => recoveries.push(r));
    const seen = record(client);
    await client.waitForConnect();
    await client.request('subscribe', { categories: ['tasks', 'swarms'], filters: { tasks: { priority: ['high', 'low'] } } });
    await client.request('subscription:update', { action: 'remove', category: 'tasks', filter: { priority: 'low' } });
    const subscribes: unknown[] = [];
    client.socket.onAnyOutgoing((event: string, payload: unknown) => {
      if (event === 'subscribe' || event === 'subscription:update') subscribes.push(payload);
    });
    const swarm = await client.request('swarm:create', { name: 'sdk', topology: 'star', agents: 1 });
    const running = await client.request('task:create', { title: 'long', priority: 'high', assignee: 'auto', swarmId: swarm.id, estimatedDuration: 3_600_000 });
    await until(() => seen.some((e) => e.event === 'task:created'), 5000, 'task:created');
    await first.server.close();
    await until(() => client.connectionState.status === 'reconnecting', 5000, 'the SDK to notice the stop');

    // While the SDK is away, the new server interrupts the running task and another client works.
    const second = await restart(first.dataDir, port);
    const other = createZenFlowClient({ url: first.url, auth: { token }, transports: ['websocket'] });
    await other.waitForConnect();
    const high = await other.request('task:create', { title: 'missed high', priority: 'high', assignee: 'auto' });
    const low = await other.request('task:create', { title: 'missed low', priority: 'low', assignee: 'auto' });
    await until(() => recoveries.length > 0, 15_000, 'the automatic resume');
    expect(recoveries[0]).toMatchObject({ recovered: true });
    await until(() => seen.some((e) => e.data.id === high.id), 5000, 'the missed high task');
    expect(seen.some((e) => e.event === 'task:interrupted' && e.data.id === running.id)).toBe(true);
    // The exclusion held from the first moment of the new session: never a low-priority task.
    expect(seen.some((e) => e.data.id === low.id)).toBe(false);
    // One request restored filters and exclusions together.
    expect(subscribes).toHaveLength(1);
    expect(subscribes[0]).toMatchObject({ exclude: { tasks: [{ priority: ['low'] }] }, since: { seq: expect.any(Number) } });
    const seqs = seen.map((e) => e.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(client.logPosition?.seq).toBe(Math.max(...seqs));
    other.close();
    client.close();
    await second.close();
    rmSync(first.dataDir, { recursive: true, force: true });
  });

  it('tells the application when recovery was refused because the log was lost', async () => {
    const first = await startTestServer();
    const port = Number(new URL(first.url).port);
    const client = createZenFlowClient({ url: first.url, auth: { token: await first.token() }, ...quickRetry });
    const recoveries: Recovery[] = [];
    client.onRecovery((r) => recoveries.push(r));
    await client.waitForConnect();
    await client.request('subscribe', 'tasks');
    const oldEpoch = client.logPosition?.epoch;
    await first.server.close();
    // The log is reset (as if its table were lost): the next server starts a new epoch.
    const db = openAppDatabase(join(first.dataDir, 'zenflow.db'));
    db.exec('DELETE FROM event_log; DELETE FROM event_log_meta');
    db.close();
    const second = await restart(first.dataDir, port);
    await until(() => recoveries.length > 0, 15_000, 'the automatic resume');
    expect(recoveries[0]).toMatchObject({ recovered: false, reason: 'epoch_changed' });
    expect(client.logPosition?.epoch).not.toBe(oldEpoch);
    expect(client.logPosition?.epoch).toBe(second.eventLog!.epoch);
    client.close();
    await second.close();
    rmSync(first.dataDir, { recursive: true, force: true });
  });
});

/**
 * The outage: every client keeps retrying (capped backoff with jitter) for
 * as long as the server is gone, then resumes. ZENFLOW_OUTAGE_MS shortens it for a
 * quick local run; the suite runs the real 60 s (mostly idle, so cheap).
 */
const OUTAGE_MS = Number(process.env.ZENFLOW_OUTAGE_MS ?? 60_000);
const CLIENTS = 100;

describe(`${CLIENTS} SDK clients survive a ${OUTAGE_MS / 1000} s outage`, () => {
  it(
    'all reconnect and resume, none gives up',
    async () => {
      const first = await startTestServer(MANY_CLIENTS);
      const port = Number(new URL(first.url).port);
      const token = await first.token(['read:tasks']);
      const clients = Array.from({ length: CLIENTS }, () =>
        createZenFlowClient({ url: first.url, auth: { token }, transports: ['websocket'], reconnectionDelay: 500, reconnectionDelayMax: 5000 }),
      );
      const recovered: Recovery[] = [];
      for (const c of clients) c.onRecovery((r) => recovered.push(r));
      await Promise.all(clients.map((c) => c.waitForConnect()));
      await Promise.all(clients.map((c) => c.request('subscribe', 'tasks')));
      await first.server.close();
      // The outage itself is what is tested: it lasts this long in real time.
      await sleep(OUTAGE_MS);
      expect(clients.filter((c) => c.connectionState.status === 'reconnecting')).toHaveLength(CLIENTS);
      const second = await restart(first.dataDir, port);
      try {
        await until(() => recovered.length === CLIENTS, 30_000, 'every client resumed');
        expect(recovered.every((r) => r.recovered)).toBe(true);
        expect(clients.every((c) => c.connectionState.status === 'connected')).toBe(true);
      } finally {
        for (const c of clients) c.close();
        await second.close();
        rmSync(first.dataDir, { recursive: true, force: true });
      }
    },
    OUTAGE_MS + 60_000,
  );
});
