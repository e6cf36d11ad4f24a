/**
 * Event delivery latency to 200 subscribed clients, idle and while a training run
 * keeps a worker thread busy, measured in one run (`npm run bench:neural`).
 *
 * One process holds the server and the 200 socket.io clients (websocket, loopback),
 * so both ends read the same clock: each event carries its high-resolution send
 * time and each client computes receipt − send. The latency therefore includes the
 * clients' own decoding on the shared event loop, in both phases alike.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import { createZenFlowServer, type ZenFlowServer } from '../../electron/server/app';
import { FileSecretStore } from '../../electron/store/secret-store';
import { swarmEfficiency } from '../helpers/event-fixtures';

const CLIENTS = 200;
const EVENTS_PER_SECOND = 20;
const WARMUP_MS = 3000;
// Long enough that a short stall of this shared machine does not decide a phase's p99 on its own.
const PHASE_MS = 15_000;
const DEADLINE_MS = 110_000;
const TARGET_RATIO = 1.5;
// Three 128-wide hidden layers on two-spirals: ~50 ms epochs, 1000 of them outlast the phase.
const TRAINING = { epochs: 1000, learningRate: 0.001, batchSize: 16, validation: 0.2, hiddenLayers: [128, 128, 128] };

type Phase = 'warmup' | 'idle' | 'training';
const wallNow = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function connectClients(url: string, token: string): Promise<Socket[]> {
  const sockets: Socket[] = [];
  // In groups, so the handshakes do not all land in one tick.
  for (let i = 0; i < CLIENTS; i += 20) {
    const group = Array.from({ length: Math.min(20, CLIENTS - i) }, async () => {
      const socket = io(url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      await new Promise<void>((resolve) => socket.emit('subscribe', 'swarms', () => resolve()));
      return socket;
    });
    sockets.push(...(await Promise.all(group)));
  }
  return sockets;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'zenflow-bench-'));
  let server: ZenFlowServer | undefined;
  let sockets: Socket[] = [];
  try {
    // engines: false keeps the host samplers quiet; the neural engine still trains.
    server = await createZenFlowServer(
      // 200 sockets on one token from one address: past the per-address and per-token defaults.
      { port: 0, host: '127.0.0.1', logLevel: 'silent', dataDir, engines: false, maxConnectionsPerAddress: 1000, maxNewConnectionsPerSecond: 1000, maxSocketsPerToken: 1000 },
      { secretStore: new FileSecretStore(join(dataDir, 'secrets.json')) },
    );
    const url = await server.listen();
    const { token } = await server.tokens.issue({ permissions: ['*'], ttlSeconds: 3600, userId: 'bench' });
    const connectStart = performance.now();
    sockets = await connectClients(url, token);
    process.stdout.write(`${sockets.length} clients connected and subscribed in ${Math.round(performance.now() - connectStart)} ms\n`);

    const latencies: Record<Phase, number[]> = { warmup: [], idle: [], training: [] };
    for (const socket of sockets) {
      socket.on('swarm:efficiency', (p: { phase: Phase; sentAt: number }) => latencies[p.phase].push(wallNow() - p.sentAt));
    }
    const bus = server.bus;
    let phase: Phase = 'warmup';
    let seq = 0;
    const publisher = setInterval(() => {
      bus.publish('swarm:efficiency', { ...swarmEfficiency('bench'), seq: seq++, phase, sentAt: wallNow() });
    }, 1000 / EVENTS_PER_SECOND);

    const loopDelay: Partial<Record<Phase, number>> = {};
    const measure = async (name: Phase): Promise<void> => {
      const histogram = monitorEventLoopDelay({ resolution: 5 });
      histogram.enable();
      phase = name;
      await sleep(PHASE_MS);
      histogram.disable();
      loopDelay[name] = histogram.percentile(99) / 1e6;
    };

    await sleep(WARMUP_MS);
    await measure('idle');

    const neural = server.engines.neural;
    const progress: { at: number; samplesPerSecond: number }[] = [];
    const stopListening = bus.subscribe((event, payload) => {
      if (event !== 'neural:training:progress') return;
      const { samplesPerSecond } = payload as unknown as { samplesPerSecond: number };
      progress.push({ at: performance.now(), samplesPerSecond });
    });
    phase = 'warmup'; // Until the worker has booted and reports its first epoch.
    const { runId } = await neural.startTraining({ networkId: 'bench', dataset: 'two-spirals', config: TRAINING });
    while (progress.length === 0) await sleep(20);
    const trainingStart = performance.now();
    await measure('training');
    const trainingEnd = performance.now();
    const run = await neural.stopTraining(runId);
    stopListening();
    clearInterval(publisher);
    await sleep(300);

    const inPhase = progress.filter((p) => p.at >= trainingStart && p.at <= trainingEnd);
    const samplesPerSecond = inPhase.reduce((sum, p) => sum + p.samplesPerSecond, 0) / Math.max(1, inPhase.length);
    const rows = (['idle', 'training'] as const).map((name) => {
      const sorted = [...latencies[name]].sort((a, b) => a - b);
      return {
        name,
        n: sorted.length,
        p50: percentile(sorted, 50),
        p95: percentile(sorted, 95),
        p99: percentile(sorted, 99),
        max: sorted.at(-1) ?? NaN,
        loop: loopDelay[name] ?? NaN,
      };
    });
    const [idle, training] = rows as [(typeof rows)[0], (typeof rows)[0]];
    const ratio = training.p99 / idle.p99;
    const f = (v: number) => v.toFixed(2).padStart(8);
    const lines = [
      '',
      `Event delivery latency, ${CLIENTS} websocket clients, ${EVENTS_PER_SECOND} events/s, ${PHASE_MS / 1000} s per phase (ms)`,
      'phase      deliveries      p50      p95      p99      max   loop-delay p99',
      ...rows.map((r) => `${r.name.padEnd(10)} ${String(r.n).padStart(10)} ${f(r.p50)} ${f(r.p95)} ${f(r.p99)} ${f(r.max)} ${f(r.loop)}`),
      '',
      `p99 training / p99 idle: ${ratio.toFixed(2)} (target ≤ ${TARGET_RATIO}: ${ratio <= TARGET_RATIO ? 'met' : 'NOT met'})`,
      `training throughput: ${Math.round(samplesPerSecond)} samples/s (mean over ${inPhase.length} epochs in the phase; two-spirals, hidden ${TRAINING.hiddenLayers.join('×')}, batch ${TRAINING.batchSize})`,
      `training run ${run.runId}: ${run.status} after ${run.epoch} epochs`,
      `host: ${cpus().length} CPUs, load average at the end ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
      '',
    ];
    process.stdout.write(lines.join('\n'));
  } finally {
    for (const s of sockets) s.disconnect();
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const deadline = setTimeout(() => {
  process.stderr.write(`benchmark exceeded ${DEADLINE_MS / 1000} s\n`);
  process.exit(1);
}, DEADLINE_MS);
deadline.unref();

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
