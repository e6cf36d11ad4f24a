import type { EventBus } from '../bus';
import type { TaskQueue } from './scheduler';
import type { Counters, Meter, Sample, SwarmState, World } from './state';
import type { Timeline } from './timeline';

/** Figures are reported per interval; efficiency, the optimiser and system metrics look at a sliding window. */
export const WINDOW_MS = 60_000;
/** Samples kept per swarm for swarm:analyze: one hour (360 at the default 10 s interval). */
export const RETENTION_MS = 3_600_000;

export const newCounters = (): Counters => ({
  assignments: 0,
  started: 0,
  latencyMs: 0,
  coordinationMs: 0,
  messages: 0,
  workMs: 0,
  completed: 0,
  failed: 0,
  requeued: 0,
  agentFailures: 0,
  busyMs: 0,
  agentMs: 0,
});

export const newMeter = (now: number): Meter => ({ current: newCounters(), since: now, busy: 0, lastAt: now, samples: [] });

/** Folds elapsed time into the busy and present agent-time integrals; call before the busy count or swarm size changes. */
export function touch(swarm: SwarmState, now: number): void {
  const m = swarm.meter;
  const dt = now - m.lastAt;
  if (dt <= 0) return;
  m.current.busyMs += m.busy * dt;
  m.current.agentMs += swarm.agents.size * dt;
  m.lastAt = now;
}

function add(into: Counters, c: Counters): void {
  for (const k of Object.keys(into) as (keyof Counters)[]) into[k] += c[k];
}

/** What a swarm did over the last `windowMs`, from its samples plus the interval in progress. */
export function windowOf(swarm: SwarmState, now: number, windowMs: number, since = -Infinity): { counters: Counters; ms: number; samples: Sample[] } {
  touch(swarm, now);
  const from = Math.max(now - windowMs, since, swarm.createdAt);
  const samples = swarm.meter.samples.filter((s) => s.at - s.ms >= from);
  const counters = newCounters();
  for (const s of samples) add(counters, s);
  add(counters, swarm.meter.current);
  const start = samples[0] ? samples[0].at - samples[0].ms : swarm.meter.since;
  return { counters, ms: Math.max(0, now - start), samples };
}

const round = (v: number, digits = 3): number => Math.round(v * 10 ** digits) / 10 ** digits;

/**
 * Efficiency (0–1): the share of an assignment's time that is work rather than
 * coordination, times the share of finished attempts that did not have to be
 * redone (failed, or taken off a failing agent). 1 when nothing happened: nothing was wasted.
 */
export function efficiencyOf(c: Counters): number {
  const spent = c.workMs + c.coordinationMs;
  const attempts = c.completed + c.failed + c.requeued;
  const share = spent > 0 ? c.workMs / spent : 1;
  const success = attempts > 0 ? c.completed / attempts : 1;
  return round(share * success);
}

export function figuresOf(c: Counters, ms: number) {
  return {
    efficiency: efficiencyOf(c),
    avgLatency: c.started > 0 ? Math.round(c.latencyMs / c.started) : 0,
    avgCoordinationMs: c.assignments > 0 ? Math.round(c.coordinationMs / c.assignments) : 0,
    messagesPerAssignment: c.assignments > 0 ? round(c.messages / c.assignments, 1) : 0,
    tasksPerMinute: ms > 0 ? round((c.completed * 60_000) / ms, 2) : 0,
    avgUtilization: c.agentMs > 0 ? round(c.busyMs / c.agentMs) : 0,
  };
}

/** Coordination efficiency over all swarms in the last window (system:metrics swarmCoordination.efficiency). */
export function systemEfficiency(world: World, now: number): number {
  const total = newCounters();
  for (const swarm of world.swarms.values()) add(total, windowOf(swarm, now, WINDOW_MS).counters);
  return efficiencyOf(total);
}

/**
 * A swarm's first report after `now`: a whole number of intervals after its creation, so each
 * swarm keeps its own phase, and at least half an interval away, so a swarm restored at start
 * does not report on a few milliseconds.
 */
export function firstReportAt(createdAt: number, now: number, intervalMs: number): number {
  const at = createdAt + Math.max(0, Math.ceil((now - createdAt) / intervalMs)) * intervalMs;
  return at - now < intervalMs / 2 ? at + intervalMs : at;
}

/**
 * Every interval of simulated time, per swarm, closes its counters into a sample, publishes
 * swarm:efficiency and lets `review` (the topology optimiser) look at it. Each swarm reports on the
 * phase of its creation, so the reports spread over the interval: all swarms in one turn made a
 * burst of swarms × subscribers frames (800 swarms to 500 dashboards stalled delivery for seconds).
 */
export class EfficiencyMonitor {
  private running = false;
  /** One function for every swarm's entry on the timeline: scheduling a report allocates no closure. */
  private readonly report = (swarm: SwarmState) => this.tick(swarm);

  constructor(
    private readonly world: World,
    private readonly bus: EventBus,
    private readonly timeline: Timeline,
    private readonly queue: TaskQueue,
    private readonly intervalMs: number,
    private readonly review: (swarm: SwarmState, now: number) => void,
  ) {}

  /** Reports on every swarm there is and, through `track`, on those created later. */
  start(): void {
    this.running = true;
    for (const swarm of this.world.swarms.values()) this.track(swarm);
  }

  stop(): void {
    this.running = false;
    for (const swarm of this.world.swarms.values()) this.untrack(swarm);
  }

  track(swarm: SwarmState): void {
    if (!this.running) return;
    this.timeline.cancel(swarm.nextReport);
    swarm.nextReport = this.timeline.call(firstReportAt(swarm.createdAt, this.timeline.now(), this.intervalMs), this.report, swarm);
  }

  untrack(swarm: SwarmState): void {
    this.timeline.cancel(swarm.nextReport);
    swarm.nextReport = null;
  }

  private tick(swarm: SwarmState): void {
    const now = this.timeline.now();
    swarm.nextReport = this.timeline.call(now + this.intervalMs, this.report, swarm);
    const sample = this.close(swarm, now);
    const window = windowOf(swarm, now, WINDOW_MS);
    this.bus.publish('swarm:efficiency', {
      swarmId: swarm.id,
      ...figuresOf(sample, sample.ms),
      windowEfficiency: efficiencyOf(window.counters),
      intervalMs: sample.ms,
      agents: sample.agents,
      completed: sample.completed,
      failed: sample.failed,
      queued: this.queue.waitingFor(swarm, null),
    });
    this.review(swarm, now);
  }

  private close(swarm: SwarmState, now: number): Sample {
    touch(swarm, now);
    const m = swarm.meter;
    const queueByRole: Record<string, number> = {};
    const busyByRole: Record<string, number> = {};
    for (const group of swarm.roles.values()) {
      queueByRole[group.role] = this.queue.waitingFor(swarm, group);
      busyByRole[group.role] = group.agents.size > 0 ? round(group.counts.busy / group.agents.size) : 0;
    }
    const sample: Sample = { ...m.current, at: now, ms: now - m.since, topology: swarm.topology, agents: swarm.agents.size, queueByRole, busyByRole };
    m.samples.push(sample);
    while (m.samples.length > 0 && (m.samples[0] as Sample).at < now - RETENTION_MS) m.samples.shift();
    m.current = newCounters();
    m.since = now;
    return sample;
  }
}
