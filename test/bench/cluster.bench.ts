/**
 * Cluster benchmark (docs/protocol.md §12): a real redis-server, one core and two
 * edges as `zenflow serve` processes (test/helpers/cluster.ts), measured from clients:
 *  1. revocation reach — DELETE /api/tokens/:jti on edge A until the token's socket on edge B
 *     gets `auth:error` (target ≤ 1 s);
 *  2. the stream hop — one `swarm:created` received by a client of the core and by a client of
 *     an edge: how much later the edge's client has it;
 *  3. a forwarded command — `system:status:get` round trip through an edge vs on the core.
 *
 *   npx tsx test/bench/cluster.bench.ts [--runs 50]
 */
import { parseArgs } from 'node:util';
import { connectZenFlowClient, type ZenFlowClient } from '../../shared/sdk';
import { startCluster } from '../helpers/cluster';

const { values: argv } = parseArgs({ options: { runs: { type: 'string', default: '50' } } });
const RUNS = Number(argv.runs);

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const summary = (xs: number[]) => `p50 ${quantile(xs, 0.5).toFixed(2)} ms  p99 ${quantile(xs, 0.99).toFixed(2)} ms  max ${Math.max(...xs).toFixed(2)} ms  (n=${xs.length})`;

const cluster = await startCluster({ edges: 2 });
const [edgeA, edgeB] = cluster.edges as [(typeof cluster.edges)[0], (typeof cluster.edges)[0]];
const clients: ZenFlowClient[] = [];
const connect = async (url: string, token: string) => {
  const c = await connectZenFlowClient({ url, auth: { token }, transports: ['websocket'], autoReconnect: false });
  clients.push(c);
  return c;
};
const mint = async (base: string): Promise<{ token: string; jti: string }> => {
  const res = await fetch(`${base}/api/tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${cluster.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ permissions: ['*'], ttl: '1h' }),
  });
  return (await res.json()) as { token: string; jti: string };
};

try {
  const revocations: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const { token, jti } = await mint(edgeA.url);
    const victim = await connect(edgeB.url, token);
    const ended = new Promise<number>((resolve) => victim.socket.once('auth:error' as never, (() => resolve(performance.now())) as never));
    const start = performance.now();
    await fetch(`${edgeA.url}/api/tokens/${jti}`, { method: 'DELETE', headers: { authorization: `Bearer ${cluster.adminToken}` } });
    revocations.push((await ended) - start);
    victim.close();
  }

  const { token } = await mint(edgeA.url);
  const onCore = await connect(cluster.core.url, token);
  const onEdge = await connect(edgeA.url, token);
  await onCore.subscribe({ categories: ['swarms'] });
  await onEdge.subscribe({ categories: ['swarms'] });
  const hops: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const arrival = (c: ZenFlowClient) => new Promise<number>((resolve) => c.socket.once('swarm:created' as never, (() => resolve(performance.now())) as never));
    const [atCore, atEdge] = [arrival(onCore), arrival(onEdge)];
    const swarm = await onCore.request('swarm:create', { name: `hop-${i}`, topology: 'star', agents: 1 });
    hops.push((await atEdge) - (await atCore));
    await onCore.request('swarm:delete', { swarmId: swarm.id });
  }

  const roundTrip = async (c: ZenFlowClient): Promise<number[]> => {
    const out: number[] = [];
    for (let i = 0; i < RUNS * 4; i++) {
      const t = performance.now();
      await c.request('system:status:get');
      out.push(performance.now() - t);
    }
    return out;
  };
  const direct = await roundTrip(onCore);
  const forwarded = await roundTrip(onEdge);

  process.stdout.write(`cluster benchmark: redis-server + 1 core + 2 edges on one machine, ${RUNS} runs\n`);
  process.stdout.write(`  revocation on edge A → auth:error on edge B   ${summary(revocations)}\n`);
  process.stdout.write(`  swarm:created, edge client after core client  ${summary(hops)}\n`);
  process.stdout.write(`  system:status:get on the core                 ${summary(direct)}\n`);
  process.stdout.write(`  system:status:get through an edge             ${summary(forwarded)}\n`);
} finally {
  for (const c of clients) c.close();
  await cluster.stop();
}
