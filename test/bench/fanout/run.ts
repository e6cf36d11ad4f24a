/**
 * Fan-out benchmark (issue 12): `npm run bench` — one command, one machine.
 *
 * Each run starts one scenario's server in a process of its own and the load generator in others
 * (./load-process.ts); a publisher sends `swarm:create` at a fixed rate and every subscriber's
 * latency is measured from the scheduled send time. Scenarios run interleaved, round after round,
 * so a busy neighbour on a shared machine hits them alike; compare the ratios.
 *
 * Reported per scenario and load: deliveries/s, p50/p99/p99.9 latency, loss, the server process's
 * CPU per delivery (process.cpuUsage over the measured window; for the cluster, D, the core's and
 * both edges' CPU from /proc) and deliveries per CPU-second, heap and RSS per 1,000 connections
 * (D: the edges', from their /metrics, without a forced GC); then an idle run (--idle connections, authenticated, for
 * longer than one application ping) reporting memory per 1,000 and the worst event-loop stall.
 *
 *   npm run bench -- [--scenarios A,A2,B,C1,C1s,C2,D (and A3)] [--loads 500x40,1000x50] [--seconds 5] [--warmup 1]
 *                    [--rounds 2] [--idle 10000] [--idle-scenarios A,C1] [--idle-seconds 12] [--procs 2]
 *                    [--cpu-prof DIR] [--perf DIR]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import type { LoadConfig, LoadRequest, LoadResult, RunPlan } from './load-process';
import { BUCKETS, bucketCpu, recordPerf } from './perf-profile';
import { SCENARIOS } from './scenarios';
import type { ServerRequest, ServerStats } from './server-process';

const { values: argv } = parseArgs({
  options: {
    scenarios: { type: 'string', default: 'A,A2,B,C1,C1s,C2,D' },
    loads: { type: 'string', default: '500x40,1000x50' },
    seconds: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    rounds: { type: 'string', default: '2' },
    idle: { type: 'string', default: '10000' },
    'idle-scenarios': { type: 'string', default: 'A,C1' },
    /** How long idle connections are held: past one application ping (10 s). */
    'idle-seconds': { type: 'string', default: '12' },
    procs: { type: 'string', default: '2' },
    /** Writes a V8 CPU profile of every server process into this directory (open in Chrome DevTools). */
    'cpu-prof': { type: 'string' },
    /** Records Linux `perf` of each single-process server over its measured window into this directory, and prints where its CPU went. */
    perf: { type: 'string' },
  },
});
const names = argv.scenarios.split(',').filter(Boolean);
for (const n of [...names, ...argv['idle-scenarios'].split(',').filter(Boolean)])
  if (!SCENARIOS[n]) throw new Error(`unknown scenario ${n}; known: ${Object.keys(SCENARIOS).join(', ')}`);
const loads = argv.loads
  .split(',')
  .filter(Boolean)
  .map((l) => {
    const [subscribers, rate] = l.split('x').map(Number);
    if (!(subscribers! > 0 && rate! > 0)) throw new Error(`--loads takes SUBSCRIBERSxRATE, e.g. 500x40; got ${l}`);
    return { subscribers: subscribers!, rate: rate! };
  });
const SECONDS = Number(argv.seconds);
const WARMUP = Number(argv.warmup);
const ROUNDS = Number(argv.rounds);
const IDLE = Number(argv.idle);
const IDLE_MS = Number(argv['idle-seconds']) * 1000;
const PROCS = Math.max(1, Number(argv.procs));

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
/** Children resolve `tsx` from the checkout, wherever the bench was started. */
const ROOT = here('../../..');
const now = () => performance.timeOrigin + performance.now();
const sleepUntil = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - now())));

function nextMessage<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { type: string }) => {
      if (m.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m as T);
    };
    const onExit = (code: number | null) => reject(new Error(`child exited (${code}) before '${type}'`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

async function startServer(
  scenario: string,
): Promise<{ child: ChildProcess; url: string; subscriberUrls?: string[]; token?: string; stats(gc?: boolean): Promise<ServerStats>; stop(): Promise<void> }> {
  const child = fork(here('./server-process.ts'), [scenario], {
    execArgv: [
      '--expose-gc',
      '--import',
      'tsx',
      ...(argv['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', argv['cpu-prof']] : []),
      // The map names JIT frames for perf; the V8 log it turns on goes beside the recordings, not into the checkout.
      ...(argv.perf ? ['--perf-basic-prof', '--no-logfile-per-isolate', `--logfile=${join(argv.perf, `v8-${scenario}.log`)}`] : []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    cwd: ROOT,
  });
  const ready = await nextMessage<{ url: string; subscriberUrls?: string[]; token?: string }>(child, 'ready');
  return {
    child,
    ...ready,
    async stats(gc = false) {
      const reply = nextMessage<{ stats: ServerStats }>(child, 'stats');
      child.send({ type: 'stats', gc } satisfies ServerRequest);
      return (await reply).stats;
    },
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.send({ type: 'stop' } satisfies ServerRequest);
      await exited;
    },
  };
}

async function startLoad(config: LoadConfig): Promise<{ child: ChildProcess; failed: number }> {
  const child = fork(here('./load-process.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], cwd: ROOT });
  await nextMessage(child, 'up');
  const connected = nextMessage<{ failed: number }>(child, 'connected');
  child.send({ type: 'connect', config } satisfies LoadRequest);
  return { child, failed: (await connected).failed };
}

interface Sample {
  scenario: string;
  load: string;
  received: number;
  expected: number;
  latencies: number[];
  windowSeconds: number;
  cpuMicros: number;
  heapPer1k: number;
  rssPer1k: number;
  failed: number;
  publishErrors: number;
  closed: number;
  slow: number;
  slowCut: number;
  slowCutMs: number;
  /** Events published in the measured window, and the `perf record` of it (--perf). */
  events: number;
  perfFile?: string;
}

/** Connects `subscribers`, then either runs the fixed-rate schedule or (rate 0) holds them idle for `holdMs`. */
async function runOnce(scenario: string, subscribers: number, rate: number, holdMs = 0): Promise<Sample & { maxStallMs: number }> {
  const server = await startServer(scenario);
  try {
    const before = await server.stats(true);
    const per = Math.ceil(subscribers / PROCS);
    const procs = await Promise.all(
      Array.from({ length: PROCS }, (_, p) =>
        startLoad({
          scenario,
          url: server.url,
          subscriberUrls: server.subscriberUrls,
          token: server.token,
          first: p * per,
          count: Math.max(0, Math.min(per, subscribers - p * per)),
          publish: rate > 0 && p === 0,
        }),
      ),
    );
    const failed = procs.reduce((n, p) => n + p.failed, 0);
    const after = await server.stats(true);
    const heapPer1k = (after.heapUsed - before.heapUsed) / (subscribers / 1000);
    const rssPer1k = (after.rss - before.rss) / (subscribers / 1000);
    const base = { scenario, load: `${subscribers}×${rate}/s`, failed, heapPer1k, rssPer1k };
    if (rate === 0) {
      await server.stats();
      await new Promise((r) => setTimeout(r, holdMs));
      const held = await server.stats();
      for (const p of procs) p.child.send({ type: 'stop' } satisfies LoadRequest);
      return {
        ...base,
        received: 0,
        expected: 0,
        latencies: [],
        windowSeconds: 0,
        cpuMicros: 0,
        publishErrors: 0,
        closed: 0,
        slow: 0,
        slowCut: 0,
        slowCutMs: 0,
        events: 0,
        maxStallMs: held.maxStallMs,
      };
    }
    const warmup = Math.round(WARMUP * rate);
    const measured = Math.round(SECONDS * rate);
    const plan: RunPlan = { startAt: now() + 300, rate, warmup, measured };
    const results = Promise.all(procs.map((p) => nextMessage<{ result: LoadResult }>(p.child, 'result').then((m) => m.result)));
    for (const p of procs) p.child.send({ type: 'run', plan } satisfies LoadRequest);
    await sleepUntil(plan.startAt + (warmup * 1000) / rate);
    const start = await server.stats();
    // A cluster's CPU is its nodes' (maxStallMs is NaN then): the bench's server process only hosts them.
    const perfFile = argv.perf && !Number.isNaN(start.maxStallMs) ? join(argv.perf, `${scenario}-${subscribers}x${rate}-${Date.now()}.data`) : undefined;
    const perf = perfFile ? recordPerf(server.child.pid!, perfFile) : null;
    await sleepUntil(plan.startAt + ((warmup + measured) * 1000) / rate);
    const end = await server.stats();
    await perf?.stop();
    const all = await results;
    for (const p of procs) p.child.send({ type: 'stop' } satisfies LoadRequest);
    return {
      ...base,
      received: all.reduce((n, r) => n + r.received, 0),
      expected: all.reduce((n, r) => n + r.expected, 0),
      latencies: all.flatMap((r) => r.latencies),
      windowSeconds: SECONDS,
      cpuMicros: end.cpuMicros - start.cpuMicros,
      publishErrors: all.reduce((n, r) => n + r.publishErrors, 0),
      closed: all.reduce((n, r) => n + r.closed, 0),
      slow: all.reduce((n, r) => n + r.slow, 0),
      slowCut: all.reduce((n, r) => n + r.slowCut, 0),
      slowCutMs: Math.max(0, ...all.map((r) => r.slowCutMs)),
      events: measured,
      perfFile,
      maxStallMs: end.maxStallMs,
    };
  } finally {
    await server.stop();
  }
}

const pct = (sorted: Float64Array, p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]! : NaN);
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Row {
  scenario: string;
  load: string;
  deliveriesPerSecond: number;
  p50: number;
  p99: number;
  p999: number;
  loss: number;
  cpuPerDelivery: number;
  perCpuSecond: number;
  heapPer1k: number;
  rssPer1k: number;
  notes: string;
}

/** How many slow consumers (subscribers that stopped reading) the server cut off, over every run of a row. */
function slowNote(samples: Sample[]): string {
  const slow = samples.reduce((n, s) => n + s.slow, 0);
  if (slow === 0) return '';
  const cut = samples.reduce((n, s) => n + s.slowCut, 0);
  const last = Math.max(...samples.map((s) => s.slowCutMs));
  return `${cut}/${slow} slow consumers cut off${cut ? `, the last ${(last / 1000).toFixed(1)} s after it stopped reading` : ''}`;
}

function summarise(samples: Sample[]): Row {
  const s0 = samples[0]!;
  const received = samples.reduce((n, s) => n + s.received, 0);
  const expected = samples.reduce((n, s) => n + s.expected, 0);
  const cpu = samples.reduce((n, s) => n + s.cpuMicros, 0);
  const seconds = samples.reduce((n, s) => n + s.windowSeconds, 0);
  const sorted = Float64Array.from(samples.flatMap((s) => s.latencies)).sort();
  const notes = [
    samples.some((s) => s.failed) ? `${samples.reduce((n, s) => n + s.failed, 0)} failed to connect` : '',
    samples.some((s) => s.publishErrors) ? `${samples.reduce((n, s) => n + s.publishErrors, 0)} publishes refused` : '',
    samples.some((s) => s.closed) ? `${samples.reduce((n, s) => n + s.closed, 0)} reading clients closed` : '',
    slowNote(samples),
  ].filter(Boolean);
  return {
    scenario: s0.scenario,
    load: s0.load,
    deliveriesPerSecond: received / seconds,
    p50: pct(sorted, 0.5),
    p99: pct(sorted, 0.99),
    p999: pct(sorted, 0.999),
    loss: expected ? 1 - received / expected : 0,
    cpuPerDelivery: cpu / received,
    perCpuSecond: received / (cpu / 1e6),
    heapPer1k: median(samples.map((s) => s.heapPer1k)),
    rssPer1k: median(samples.map((s) => s.rssPer1k)),
    notes: notes.join('; '),
  };
}

console.log(
  `fan-out bench: ${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log(`scenarios ${names.join(', ')}; loads ${argv.loads}; ${SECONDS} s measured after ${WARMUP} s warm-up; ${ROUNDS} interleaved rounds; ${PROCS} load process(es)\n`);
const samples = new Map<string, Sample[]>();
for (let round = 1; round <= ROUNDS; round++) {
  for (const { subscribers, rate } of loads) {
    for (const name of names) {
      const s = await runOnce(name, subscribers, rate);
      const key = `${subscribers}x${rate}/${name}`;
      samples.set(key, [...(samples.get(key) ?? []), s]);
      const r = summarise([s]);
      console.log(
        `round ${round} ${name.padEnd(3)} ${s.load.padEnd(10)} ${r.deliveriesPerSecond.toFixed(0).padStart(7)} deliveries/s  p99 ${r.p99.toFixed(1).padStart(6)} ms  ${r.cpuPerDelivery.toFixed(2).padStart(6)} µs CPU/delivery  loss ${(r.loss * 100).toFixed(2)} %${r.notes ? `  (${r.notes})` : ''}`,
      );
    }
  }
}

const rows = [...samples.values()].map(summarise);
const byLoad = (load: string, scenario: string) => rows.find((r) => r.load === load && r.scenario === scenario);
const f = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '–');
console.log(
  '\n| Scenario | Subscribers × events/s | Deliveries/s | p50 ms | p99 ms | p99.9 ms | Loss | CPU µs/delivery | Deliveries/CPU-s | vs A | Heap MB/1k conns | RSS MB/1k conns |',
);
console.log('|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
for (const r of rows) {
  const a = byLoad(r.load, 'A');
  const vs = a ? `${(r.perCpuSecond / a.perCpuSecond).toFixed(2)}×` : '–';
  console.log(
    `| ${r.scenario} | ${r.load} | ${f(r.deliveriesPerSecond, 0)} | ${f(r.p50)} | ${f(r.p99)} | ${f(r.p999)} | ${(r.loss * 100).toFixed(2)} % | ${f(r.cpuPerDelivery, 2)} | ${f(r.perCpuSecond, 0)} | ${vs} | ${f(r.heapPer1k / 1048576)} | ${f(r.rssPer1k / 1048576)} |${r.notes ? ` ${r.notes}` : ''}`,
  );
}

console.log('\nTargets:');
for (const { subscribers, rate } of loads) {
  const load = `${subscribers}×${rate}/s`;
  const a = byLoad(load, 'A');
  const c1 = byLoad(load, 'C1');
  const c2 = byLoad(load, 'C2');
  if (a && c1) {
    console.log(
      `  ${load}: C1 deliveries/CPU-s ${(c1.perCpuSecond / a.perCpuSecond).toFixed(2)}× A (target ≥ 0.9); C1 p99 ${f(c1.p99, 2)} ms vs A ${f(a.p99, 2)} ms (target ≤ ${f(a.p99 * 1.2 + 1, 2)})`,
    );
  }
  const a2 = byLoad(load, 'A2');
  if (a2 && c1) console.log(`  ${load}: C1 deliveries/CPU-s ${(c1.perCpuSecond / a2.perCpuSecond).toFixed(2)}× A2 (bare Socket.IO plus a command's CPU per event)`);
  const a3 = byLoad(load, 'A3');
  if (a3 && c1) console.log(`  ${load}: C1 deliveries/CPU-s ${(c1.perCpuSecond / a3.perCpuSecond).toFixed(2)}× A3 (A2 plus a command's log write and fdatasync per event)`);
  if (a && c2) console.log(`  ${load}: C2 deliveries/CPU-s ${(c2.perCpuSecond / a.perCpuSecond).toFixed(2)}× A (target ≥ 2)`);
  if (c1 && subscribers === 1000 && rate === 50) console.log(`  1000×50/s: C1 p99 ${f(c1.p99, 2)} ms (target ≤ 10)`);
  const c1s = byLoad(load, 'C1s');
  if (c1 && c1s) console.log(`  ${load}: with slow consumers (C1s) the others' p99 is ${f(c1s.p99, 2)} ms against C1's ${f(c1.p99, 2)} ms (${c1s.notes})`);
}

if (argv.perf) {
  console.log(`\nWhere each server's CPU went (Linux perf, every thread, kernel included), µs per event; files in ${argv.perf}`);
  for (const { subscribers, rate } of loads) {
    const profiled = names.flatMap((name) => {
      const runs = (samples.get(`${subscribers}x${rate}/${name}`) ?? []).filter((s) => s.perfFile);
      return runs.length ? [{ name, runs }] : [];
    });
    if (profiled.length === 0) continue;
    const perEvent = await Promise.all(
      profiled.map(async ({ runs }) => {
        const sums = new Map<string, number>();
        for (const run of runs) for (const [bucket, ms] of await bucketCpu(run.perfFile!)) sums.set(bucket, (sums.get(bucket) ?? 0) + ms);
        const events = runs.reduce((n, r) => n + r.events, 0);
        return new Map([...sums].map(([bucket, ms]) => [bucket, (ms * 1000) / events]));
      }),
    );
    console.log(`\n| ${subscribers}×${rate}/s | ${profiled.map((p) => p.name).join(' | ')} |`);
    console.log(`|---|${profiled.map(() => '--:').join('|')}|`);
    for (const { name } of [...BUCKETS, { name: 'total' }]) {
      const cell = (m: Map<string, number>) => (name === 'total' ? [...m.values()].reduce((a, b) => a + b, 0) : m.get(name)!);
      console.log(`| ${name} | ${perEvent.map((m) => f(cell(m), 0)).join(' | ')} |`);
    }
  }
}

if (IDLE > 0) {
  console.log(`\nIdle: ${IDLE} authenticated connections held ${IDLE_MS / 1000} s (past one application ping)`);
  console.log('| Scenario | Heap MB/1k conns | RSS MB/1k conns | Worst event-loop stall ms |');
  console.log('|---|--:|--:|--:|');
  for (const name of argv['idle-scenarios'].split(',').filter(Boolean)) {
    const s = await runOnce(name, IDLE, 0, IDLE_MS);
    console.log(`| ${name} | ${mb(s.heapPer1k)} | ${mb(s.rssPer1k)} | ${f(s.maxStallMs)} |${s.failed ? ` ${s.failed} failed to connect` : ''}`);
  }
}
