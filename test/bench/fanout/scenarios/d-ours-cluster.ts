import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { startCluster } from '../../../helpers/cluster';
import type { Scenario, ServerHandle, ServerUsage } from '../scenario';

/** Raised like the single-node scenarios' limits: every bench connection comes from one address and token. */
const OPEN_LIMITS = ['--max-connections-per-address', '1000000', '--max-new-connections-per-second', '1000000', '--max-sockets-per-token', '1000000'];
/**
 * The core's simulated time nearly stands still, so the hundreds of swarms the bench creates do not
 * add their periodic swarm:efficiency reports (one per swarm per 10 s of simulated time, to every
 * subscriber) to the frames measured: the single-node scenarios run no engines at all.
 */
const QUIET_SIMULATION = ['--sim-speed', '0.001'];
/** User plus system CPU (µs) a process has used so far, from /proc/<pid>/stat (Linux). */
function cpuMicros(pid: number, ticksPerSecond: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces): state is the first, utime the 12th, stime the 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / ticksPerSecond;
}

/**
 * A node's heap in use and RSS after full garbage collections, asked over the V8 inspector the
 * node was started with (loopback, random port): the same figure the single-node scenarios take.
 */
async function memoryAfterGc(inspectorUrl: string): Promise<{ heapUsed: number; rss: number }> {
  const ws = new WebSocket(inspectorUrl);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let id = 0;
  const call = (method: string, params: object = {}) =>
    new Promise<{ result?: { value?: string } }>((resolve) => {
      const mine = ++id;
      const onMessage = (data: Buffer) => {
        const reply = JSON.parse(data.toString()) as { id?: number; result?: { result?: { value?: string } } };
        if (reply.id !== mine) return;
        ws.off('message', onMessage);
        resolve(reply.result ?? {});
      };
      ws.on('message', onMessage);
      ws.send(JSON.stringify({ id: mine, method, params }));
    });
  try {
    for (let i = 0; i < 3; i++) await call('HeapProfiler.collectGarbage');
    const { result } = await call('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true });
    const mem = JSON.parse(result?.value ?? '{}') as { heapUsed: number; rss: number };
    return { heapUsed: mem.heapUsed, rss: mem.rss };
  } finally {
    ws.close();
  }
}

async function post(url: string, adminToken: string, body: unknown): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`POST ${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

/**
 * Ours as a cluster: a real redis-server, one core and two edges, each a `zenflow serve` process
 * (out/main/cli.js when built). Subscribers alternate between the edges; the publisher sends
 * `swarm:create` to the core, so every event crosses the Redis stream before an edge delivers it.
 * Server CPU is the three nodes' together; memory is the edges', which hold the connections. Each
 * node runs with the inspector on a loopback port, only so the bench can collect garbage before
 * reading memory.
 */
export const oursCluster: Scenario = {
  name: 'D',
  about: 'ours as a cluster: one core and two edges sharing redis-server, subscribers split across the edges',
  wire: 'socket.io',
  setup: () => [['subscribe', { channels: ['swarms'] }]],
  expects: () => true,
  async start(): Promise<ServerHandle> {
    const nodeOptions = process.env.NODE_OPTIONS;
    process.env.NODE_OPTIONS = `${nodeOptions ?? ''} --inspect=127.0.0.1:0`.trim();
    const cluster = await startCluster({ edges: 2, coreArgs: [...OPEN_LIMITS, ...QUIET_SIMULATION], edgeArgs: OPEN_LIMITS }).finally(() => {
      if (nodeOptions === undefined) delete process.env.NODE_OPTIONS;
      else process.env.NODE_OPTIONS = nodeOptions;
    });
    try {
      const { core, edges, adminToken } = cluster;
      const inspectors = await Promise.all(edges.map(async (e) => (await e.process.waitForStderr(/Debugger listening on (ws:\/\/\S+)/))[1]!));
      await post(`${core.url}/api/config/api`, adminToken, { settings: { rateLimitPerMinute: 1_000_000 } });
      await post(`${core.url}/api/config/swarms`, adminToken, { settings: { maxSwarms: 100_000, maxAgents: 1_000_000 } });
      const { token } = (await post(`${core.url}/api/tokens`, adminToken, { permissions: ['*'], ttl: '24h' })) as { token: string };
      const nodes = [core, ...edges];
      const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
      return {
        url: core.url,
        subscriberUrls: edges.map((e) => e.url),
        token,
        async usage(withMemory): Promise<ServerUsage> {
          const cpu = nodes.reduce((n, node) => n + cpuMicros(node.process.child.pid!, ticksPerSecond), 0);
          if (!withMemory) return { cpuMicros: cpu, heapUsed: NaN, rss: NaN };
          const mems = await Promise.all(inspectors.map(memoryAfterGc));
          return { cpuMicros: cpu, heapUsed: mems.reduce((n, m) => n + m.heapUsed, 0), rss: mems.reduce((n, m) => n + m.rss, 0) };
        },
        close: () => cluster.stop(),
      };
    } catch (err) {
      await cluster.stop();
      throw err;
    }
  },
};
