/**
 * Swarm engine benchmark: 100 swarms × 50 agents and 10,000 tasks
 * against a real SQLite file in a temp dir, in two phases:
 *  1. schedule — 10,000 task:create commands, one per macrotask as if from
 *     clients, with simulated time held still: tasks scheduled per second, each
 *     committed before it returns (so this is bound by fsync);
 *  2. run — simulated time released at --speed × real time: the engine works
 *     through the backlog; completions per simulated second while a backlog
 *     remains (the engine's sustained rate), bus events per second, memory.
 * Event-loop lag (monitorEventLoopDelay, 1 ms resolution; figures include that
 * sampling interval) is measured in both. Targets: ≥ 1,000 completions per
 * simulated second sustained with p99 lag ≤ 20 ms.
 *
 *   npx tsx test/bench/engine.bench.ts [--speed 2] [--swarms 100] [--agents 50] [--tasks 10000] [--seed bench]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { taskCreateSchema, TOPOLOGIES } from '../../shared/protocol/commands';
import { EventBus } from '../../electron/engines/bus';
import { ScaledClock, type Clock, type TimerHandle } from '../../electron/engines/clock';
import { defaultsOf, staticSettings } from '../../electron/engines/config/schemas';
import { createRandom } from '../../electron/engines/random';
import { SwarmEngine } from '../../electron/engines/swarm/swarm-engine';
import { openAppDatabase } from '../../electron/engines/migrations';

const { values: argv } = parseArgs({
  options: {
    speed: { type: 'string', default: '2' },
    swarms: { type: 'string', default: '100' },
    agents: { type: 'string', default: '50' },
    tasks: { type: 'string', default: '10000' },
    seed: { type: 'string', default: 'bench' },
  },
});
const SPEED = Number(argv.speed);
const SWARMS = Number(argv.swarms);
const AGENTS = Number(argv.agents);
const TASKS = Number(argv.tasks);
const TARGET_RATE = 1_000;
const TARGET_LAG_MS = 20;

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const ms = (ns: number): string => `${(ns / 1e6).toFixed(1)} ms`;
const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Simulated time that stands still until `go(speed)`, then runs like ScaledClock from where it stood. */
class GatedClock implements Clock {
  private readonly start = Date.now();
  private inner: { clock: ScaledClock; from: number } | null = null;
  private readonly held = new Map<number, { fn: () => void; ms: number; every: boolean }>();
  private readonly live = new Map<number, TimerHandle>();
  private nextId = 1;

  go(speed: number): void {
    const clock = new ScaledClock(speed);
    this.inner = { clock, from: clock.now() };
    for (const [id, t] of this.held) this.live.set(id, t.every ? clock.setInterval(t.fn, t.ms) : clock.setTimeout(t.fn, t.ms));
    this.held.clear();
  }

  now(): number {
    return this.inner ? this.start + this.inner.clock.now() - this.inner.from : this.start;
  }

  /** The benchmark shows no times; its simulated moments are reported as they are. */
  toWall(time: number): number {
    return time;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.add(fn, ms, false);
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    return this.add(fn, ms, true);
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (!handle) return;
    this.held.delete(handle.id);
    this.inner?.clock.clearTimeout(this.live.get(handle.id));
    this.live.delete(handle.id);
  }

  clearInterval(handle: TimerHandle | undefined): void {
    this.clearTimeout(handle);
  }

  private add(fn: () => void, ms: number, every: boolean): TimerHandle {
    const id = this.nextId++;
    if (!this.inner) this.held.set(id, { fn, ms, every });
    else this.live.set(id, every ? this.inner.clock.setInterval(fn, ms) : this.inner.clock.setTimeout(fn, ms));
    return { id };
  }
}

function lagMonitor(): ReturnType<typeof monitorEventLoopDelay> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  return h;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'zenflow-bench-'));
  const db = openAppDatabase(join(dir, 'zenflow.db'));
  const bus = new EventBus();
  const clock = new GatedClock();
  let events = 0;
  let completed = 0;
  let failed = 0;
  const completionsBySimSecond = new Map<number, number>();
  bus.subscribe((event) => {
    events++;
    if (event === 'task:completed' || event === 'task:failed') {
      if (event === 'task:completed') completed++;
      else failed++;
      const second = Math.floor(clock.now() / 1000);
      completionsBySimSecond.set(second, (completionsBySimSecond.get(second) ?? 0) + 1);
    }
  });
  const engine = new SwarmEngine(
    { bus, db, clock, realClock: new ScaledClock(1), random: createRandom(argv.seed), log: pino({ level: 'silent' }) },
    // The engine's limits on what clients may make it hold are lifted: the bench is the one filling it.
    { settings: staticSettings({ ...defaultsOf('swarms'), maxAgentsPerSwarm: 1000, maxSwarms: 100_000, maxAgents: 1_000_000, maxOpenTasks: 1_000_000 }) },
  );
  engine.start();
  const rss0 = process.memoryUsage().rss;

  // 1. Swarms: a mixed team each, topologies in rotation (the optimiser may change them).
  let t = performance.now();
  for (let i = 0; i < SWARMS; i++) {
    const dev = Math.round(AGENTS * 0.6);
    const test = Math.round(AGENTS * 0.2);
    const lead = Math.max(1, Math.round(AGENTS * 0.1));
    engine.createSwarm({
      name: `swarm ${i}`,
      topology: TOPOLOGIES[i % TOPOLOGIES.length]!,
      agents: [
        { role: 'developer', count: dev },
        { role: 'tester', count: test },
        { role: 'lead', count: lead },
        { role: 'security', count: Math.max(1, AGENTS - dev - test - lead) },
      ],
    });
    await yieldToLoop();
  }
  const swarmMs = performance.now() - t;

  // 2. Schedule: one task:create per macrotask as if from clients, simulated time still; durations 1–4 s, mixed skills and priorities.
  const random = createRandom(`${argv.seed}/tasks`);
  const requirements = [[], [], ['coding'], ['testing'], ['review'], ['security-expertise'], ['backend-development']];
  const scheduleLag = lagMonitor();
  const eventsBeforeSchedule = events;
  t = performance.now();
  for (let i = 0; i < TASKS; i++) {
    engine.createTask(
      taskCreateSchema.parse({
        title: `task ${i}`,
        priority: random.pick(['low', 'medium', 'high', 'urgent'] as const),
        requirements: random.pick(requirements),
        estimatedDuration: random.int(1_000, 4_000),
      }),
    );
    await yieldToLoop();
  }
  const scheduleMs = performance.now() - t;
  scheduleLag.disable();
  const scheduleEvents = events - eventsBeforeSchedule;
  const backlog = engine.stats().tasks.queued;

  // 3. Run: release simulated time and let the engine work through the backlog.
  const runLag = lagMonitor();
  const eventsBefore = events;
  const simStart = clock.now();
  clock.go(SPEED);
  t = performance.now();
  const cpu0 = process.cpuUsage();
  let peakHeap = process.memoryUsage().heapUsed;
  let peakRss = process.memoryUsage().rss;
  let backlogGoneAt: number | null = null;
  let doneWhileBacklogged = 0;
  while (completed + failed < TASKS) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
    if (backlogGoneAt === null && engine.stats().tasks.queued === 0) {
      backlogGoneAt = clock.now();
      doneWhileBacklogged = completed + failed;
    }
  }
  const runMs = performance.now() - t;
  const cpu = process.cpuUsage(cpu0);
  runLag.disable();
  const simSeconds = (clock.now() - simStart) / 1000;
  const runEvents = events - eventsBefore;
  const stats = engine.stats();
  engine.stop();
  db.close();
  rmSync(dir, { recursive: true, force: true });

  const backlogSeconds = ((backlogGoneAt ?? clock.now()) - simStart) / 1000;
  const sustained = Math.round(doneWhileBacklogged / backlogSeconds);
  const perSecond = [...completionsBySimSecond.entries()].sort((a, b) => a[0] - b[0]).map(([, n]) => n);
  const p99 = Math.max(runLag.percentile(99), scheduleLag.percentile(99));

  const rows: [string, string][] = [
    ['swarms × agents', `${SWARMS} × ${AGENTS} = ${SWARMS * AGENTS} agents (created in ${(swarmMs / 1000).toFixed(2)} s)`],
    ['tasks', `${TASKS} (${completed} completed, ${failed} failed)`],
    ['schedule: tasks / s', `${Math.round(TASKS / (scheduleMs / 1000))} task:create per s, each committed before it returns (${backlog} left queued)`],
    ['schedule: bus events', `${scheduleEvents} (${Math.round(scheduleEvents / (scheduleMs / 1000))} / s)`],
    ['schedule: loop lag', `p50 ${ms(scheduleLag.percentile(50))}, p99 ${ms(scheduleLag.percentile(99))}, max ${ms(scheduleLag.max)}`],
    ['run: sim speed', `${SPEED}× (${simSeconds.toFixed(1)} s simulated in ${(runMs / 1000).toFixed(1)} s real)`],
    ['run: completions', `${sustained} per sim s while backlogged (${backlogSeconds.toFixed(1)} s); per sim second: ${perSecond.join(', ')}`],
    ['run: bus events', `${runEvents} (${Math.round(runEvents / (runMs / 1000))} / s real, ${Math.round(runEvents / simSeconds)} / sim s)`],
    ['run: loop lag', `p50 ${ms(runLag.percentile(50))}, p99 ${ms(runLag.percentile(99))}, max ${ms(runLag.max)}`],
    ['run: CPU', `${(((cpu.user + cpu.system) / 1000 / runMs) * 100).toFixed(0)}% of one core`],
    ['memory', `RSS ${mb(rss0)} at start → peak ${mb(peakRss)}; heap peak ${mb(peakHeap)}`],
    ['coordination efficiency', String(stats.efficiency)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(
    `\nswarm engine benchmark (seed ${argv.seed}; ${cpus().length} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')})`,
  );
  console.log('-'.repeat(width + 60));
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
  console.log('-'.repeat(width + 60));
  const rateOk = sustained >= TARGET_RATE;
  const lagOk = p99 / 1e6 <= TARGET_LAG_MS;
  console.log(`target ≥ ${TARGET_RATE} completions per simulated second: ${rateOk ? 'met' : 'NOT met'} (${sustained})`);
  console.log(`target p99 lag ≤ ${TARGET_LAG_MS} ms: ${lagOk ? 'met' : 'NOT met'} (${ms(p99)})`);
  process.exitCode = rateOk && lagOk ? 0 : 1;
}

void main();
