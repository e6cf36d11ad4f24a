import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';

/** A raw TCP connection and, watched from the start, its closing with whatever the server sent. */
interface Conn {
  socket: Socket;
  closed: Promise<string>;
}

const open = (port: number): Promise<Conn> =>
  new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    socket.on('data', (d: Buffer) => (got += d.toString()));
    const closed = new Promise<string>((done) => socket.once('close', () => done(got)));
    socket.once('connect', () => resolve({ socket, closed }));
    socket.once('error', reject);
  });

/** GET /api/health on a fresh connection; the raw answer, or '' when the server closed it unanswered. */
async function health(port: number): Promise<string> {
  const c = await open(port).catch(() => null);
  if (!c) return '';
  c.socket.end('GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
  return c.closed;
}

describe('HTTP limits per client', () => {
  let t: TestServer;
  let port: number;
  beforeAll(async () => {
    t = await startTestServer({ maxConnectionsPerAddress: 5, requestTimeoutMs: 1500, headersTimeoutMs: 1000 });
    port = Number(new URL(t.url).port);
  });
  afterAll(() => t.close());

  it('caps the connections one address holds; a freed slot is usable again', async () => {
    const held = await Promise.all(Array.from({ length: 5 }, () => open(port)));
    const extra = await open(port);
    expect(await extra.closed).toBe('');
    held.pop()!.socket.destroy();
    await expect.poll(() => health(port), { timeout: 3000 }).toMatch(/^HTTP\/1\.1 200/);
    for (const c of held) c.socket.destroy();
  });

  it('drops a client that sends its headers too slowly, and one that never finishes its body', async () => {
    const slowHeaders = await open(port);
    slowHeaders.socket.write('GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const started = performance.now();
    await slowHeaders.closed;
    expect(performance.now() - started).toBeLessThan(5000);

    const slowBody = await open(port);
    slowBody.socket.write('POST /api/swarms HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"name":');
    const answer = await slowBody.closed;
    expect(answer).toMatch(/^HTTP\/1\.1 408|^$/);
    expect(performance.now() - started).toBeLessThan(8000);
  });

  it('refuses a body over the limit and oversized headers', async () => {
    const token = await t.token();
    const big = await fetch(`${t.url}/api/swarms`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(1_100_000), topology: 'mesh', agents: 1 }),
    });
    expect(big.status).toBe(413);
    const headers = await fetch(`${t.url}/api/health`, { headers: { 'x-padding': 'p'.repeat(20_000) } }).catch((e: unknown) => e);
    expect(headers instanceof Response ? headers.status : 431).toBe(431);
  });
});
