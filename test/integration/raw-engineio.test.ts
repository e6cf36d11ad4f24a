import { get } from 'node:http';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawSocket } from '../helpers/raw-socket';
import { startTestServer, type TestServer } from '../helpers/server';
import { swarmCreated } from '../helpers/event-fixtures';

describe('raw Engine.IO / Socket.IO frames (docs/protocol.md §1–5)', () => {
  let t: TestServer;
  let token: string;
  beforeAll(async () => {
    t = await startTestServer({ maxHttpBufferSize: 16 * 1024 });
    token = await t.token();
  });
  afterAll(() => t.close());

  /** The server is still healthy and serving sockets. */
  async function alive(): Promise<void> {
    expect((await fetch(`${t.url}/api/health`)).status).toBe(200);
    const probe = await RawSocket.open(t.url);
    expect(await probe.connect({ token })).toMatch(/^40\{"sid":/);
    probe.close();
  }

  it('handshakes with the documented transport settings', async () => {
    const raw = await RawSocket.open(t.url);
    const open = JSON.parse((await raw.next((f) => f.startsWith('0{'))).slice(1)) as Record<string, unknown>;
    expect(open).toMatchObject({ upgrades: [], pingInterval: 25_000, pingTimeout: 20_000, maxPayload: 16 * 1024 });
    raw.close();
  });

  it('refuses CONNECT without or with a bad token with packet 44 carrying the code', async () => {
    const a = await RawSocket.open(t.url);
    expect(JSON.parse((await a.connect()).slice(2))).toEqual({ message: 'auth: missing token', data: { code: 'missing_token' } });
    a.close();
    const b = await RawSocket.open(t.url);
    expect(JSON.parse((await b.connect({ token: 'x.y.z' })).slice(2))).toEqual({ message: 'auth: invalid token', data: { code: 'invalid_token' } });
    b.close();
  });

  it('acks commands with the result object, or the error envelope', async () => {
    const raw = await RawSocket.open(t.url);
    expect(await raw.connect({ token })).toMatch(/^40\{"sid":"[\w-]+"\}$/);
    expect(await raw.call(1, 'subscribe', 'swarms')).toEqual({ subscriptions: { swarms: { filter: {}, exclude: [] } } });
    expect(await raw.call(2, 'swarm:create', 'not-an-object')).toMatchObject({ error: { code: 'invalid_argument', details: [{ path: '(payload)' }] } });
    expect(await raw.call(3, 'swarm:create', { name: 'x', topology: 'blob', agents: 3 })).toMatchObject({
      error: { code: 'invalid_argument', details: [{ path: 'topology' }] },
    });
    // The ack may be the only argument.
    expect(await raw.call(4, 'unsubscribe', 'swarms')).toEqual({ subscriptions: {} });
    raw.close();
  });

  it('runs a command sent without an ack', async () => {
    const raw = await RawSocket.open(t.url);
    await raw.connect({ token });
    raw.send('42["subscribe","swarms"]');
    // Packets of a socket are handled in order: once a later call is answered, the subscribe has run.
    await raw.call(1, 'configure:rate-limit', {});
    t.server.bus.publish('swarm:created', swarmCreated('raw', 'r', 'star'));
    const frame = await raw.next((f) => f.startsWith('42["swarm:created"'));
    expect(JSON.parse(frame.slice(2))).toEqual(['swarm:created', expect.objectContaining({ id: 'raw', timestamp: expect.any(Number) })]);
    raw.close();
  });

  it('ignores unknown events, with or without an ack id', async () => {
    const raw = await RawSocket.open(t.url);
    await raw.connect({ token });
    raw.send('42["no:such:event",{}]');
    raw.send('427["no:such:event",{}]');
    expect(await raw.call(8, 'subscribe', 'system')).toHaveProperty('subscriptions.system');
    expect(raw.frames.some((f) => f.startsWith('437'))).toBe(false);
    raw.close();
  });

  it('refuses prototype-pollution shaped payloads without side effects', async () => {
    const raw = await RawSocket.open(t.url);
    await raw.connect({ token });
    raw.send('429["subscribe",{"channels":["system"],"__proto__":{"polluted":true}}]');
    const ack = JSON.parse((await raw.next((f) => f.startsWith('439['))).slice(3)) as unknown[];
    expect(ack[0]).toMatchObject({ error: { code: 'invalid_argument' } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    raw.close();
  });

  it.each([
    ['a malformed packet', '42garbage'],
    ['an unknown packet type', '9'],
    ['an event with a non-string name', '42[42,"x"]'],
    ['an empty event array', '42[]'],
    ['a broken JSON array', '42["subscribe",'],
    ['binary junk', Buffer.from([0xff, 0x00, 0x13, 0x37])],
    ['deeply nested JSON', `42["subscribe",${'['.repeat(5000)}${']'.repeat(5000)}]`],
  ])('survives %s: only that socket may be dropped', async (_name, frame) => {
    const bystander = await RawSocket.open(t.url);
    await bystander.connect({ token });
    const raw = await RawSocket.open(t.url);
    await raw.connect({ token });
    raw.send(frame);
    // Handled once the server either dropped the socket or answers it again.
    await Promise.race([raw.closed, raw.call(7, 'configure:rate-limit', {})]);
    raw.close();
    expect(await bystander.call(1, 'subscribe', 'api')).toHaveProperty('subscriptions.api');
    bystander.close();
    await alive();
  });

  it('drops only the socket that sends a frame over maxHttpBufferSize', async () => {
    const bystander = await RawSocket.open(t.url);
    await bystander.connect({ token });
    const raw = await RawSocket.open(t.url);
    await raw.connect({ token });
    raw.send(`42["subscribe",${JSON.stringify('x'.repeat(32 * 1024))}]`);
    const { code } = await raw.closed;
    expect(code).toBe(1009);
    expect(await bystander.call(2, 'subscribe', 'tasks')).toHaveProperty('subscriptions.tasks');
    bystander.close();
    await alive();
  });

  it('refuses a cross-site WebSocket and a DNS-rebinding Host', async () => {
    const ws = new WebSocket(`${t.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`, { headers: { origin: 'https://evil.example' } });
    const refused = await new Promise<string>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(`http ${res.statusCode}`));
      ws.on('open', () => resolve('open'));
    });
    expect(refused).toMatch(/^http 4\d\d$/);
    // fetch() may not set Host; node:http can, as a rebinding browser would send it.
    const rebinding = await new Promise<number>((resolve, reject) =>
      get(`${t.url}/api/health`, { headers: { host: 'attacker.example:80' } }, (res) => resolve(res.statusCode ?? 0)).on('error', reject),
    );
    expect(rebinding).toBe(403);
    const sameOrigin = new WebSocket(`${t.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`, { headers: { origin: t.url } });
    await new Promise((resolve, reject) => {
      sameOrigin.once('open', resolve);
      sameOrigin.once('error', reject);
    });
    sameOrigin.close();
  });
});
