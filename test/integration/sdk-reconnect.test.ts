import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createZenFlowServer } from '../../electron/server/app';
import { FileSecretStore } from '../../electron/store/secret-store';
import { createZenFlowClient, type ConnectionState, type ZenFlowClient } from '../../shared/sdk';
import { nextEvent, startTestServer } from '../helpers/server';

/** Resolves once the client's connection reaches `status`. */
function reaches(client: ZenFlowClient, status: ConnectionState['status'], ms = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (client.connectionState.status === status) return resolve();
    const timer = setTimeout(() => {
      off();
      reject(new Error(`still ${client.connectionState.status}, not ${status}, after ${ms} ms`));
    }, ms);
    const off = client.onStateChange((s) => {
      if (s.status !== status) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

describe('SDK across a server restart', () => {
  it('is told of the shutdown, reconnects with backoff and restores its subscriptions', async () => {
    const first = await startTestServer();
    const port = Number(new URL(first.url).port);
    const token = await first.token(['read:system']);
    const client = createZenFlowClient({ url: first.url, auth: { token }, transports: ['websocket'], reconnectionDelayMax: 1000 });
    const states: ConnectionState['status'][] = [];
    client.onStateChange((s) => states.push(s.status));
    await client.waitForConnect();
    await client.request('subscribe', { categories: ['system'], filters: { system: { components: ['cpu'] } } });
    await client.request('subscription:update', { action: 'remove', category: 'system', filter: { severity: 'info' } });
    const buffering = createZenFlowClient({ url: first.url, auth: { token }, transports: ['websocket'], bufferEvents: true, reconnectionDelayMax: 1000 });
    await buffering.waitForConnect();
    const reconnecting = Promise.all([reaches(client, 'reconnecting'), reaches(buffering, 'reconnecting')]);
    await first.server.close();
    // Both clients know the server is gone: a request now is made during the outage (one sent just before
    // a client noticed would go out on the dying connection and fail with it).
    await reconnecting;
    // The default: a command issued during the outage fails at once, saying so; opting in to buffering sends it later.
    await expect(client.request('subscribe', 'tasks')).rejects.toMatchObject({ code: 'disconnected', message: expect.stringMatching(/not sent — offline/) });
    const buffered = buffering.request('subscribe', 'swarms');

    const second = await createZenFlowServer(
      { port, dataDir: first.dataDir, logLevel: 'silent', engines: false },
      { secretStore: new FileSecretStore(join(first.dataDir, 'secrets.json')) },
    );
    const newSession = nextEvent(client, 'auth:session', 10_000);
    await second.listen();
    await reaches(client, 'connected');
    expect(states).toEqual(expect.arrayContaining(['connected', 'reconnecting']));
    expect((await buffered).subscriptions).toHaveProperty('swarms');
    buffering.close();
    // The new session got the old subscriptions back, filters and exclusions included: the SDK re-sends
    // them when the session opens, so a request sent after that is answered after them.
    await newSession;
    const restored = await client.request('subscribe', 'tasks');
    expect(restored.subscriptions.system).toEqual({ filter: { components: ['cpu'] }, exclude: [{ severity: ['info'] }] });
    expect(Object.keys(restored.subscriptions).sort()).toEqual(['system', 'tasks']);
    client.close();
    await second.close();
  });
});
