import type { CommandArgs } from '../../../shared/protocol/command-table';
import { figuresOf, windowOf } from './efficiency';
import type { TaskQueue } from './scheduler';
import { fitOf } from './skills';
import type { AgentStatus, Counters, SwarmState } from './state';
import type { Bottleneck, SwarmAnalysis } from '../../../shared/protocol/results';

/** swarm:analyze looks at the last five minutes unless asked otherwise (samples go back one hour). */
export const DEFAULT_ANALYSIS_WINDOW_MS = 300_000;

export type { Bottleneck, SwarmAnalysis };

const pct = (v: number): number => Math.round(v * 100);

/** A series "keeps growing" when it rose by at least 3 overall and rose at least twice as often as it fell. */
function keepsGrowing(series: number[]): boolean {
  if (series.length < 3) return false;
  let ups = 0;
  let downs = 0;
  for (let i = 1; i < series.length; i++) {
    const d = (series[i] as number) - (series[i - 1] as number);
    if (d > 0) ups++;
    else if (d < 0) downs++;
  }
  return (series.at(-1) as number) - (series[0] as number) >= 3 && ups >= 2 * downs && ups >= (series.length - 1) / 2;
}

/**
 * Per role: a queue that keeps growing over the window, or else a backlog of at
 * least twice the role's size while every one of its working agents is busy.
 */
function roleQueues(swarm: SwarmState, queue: TaskQueue, samples: { queueByRole: Record<string, number>; busyByRole: Record<string, number> }[], secs: number): Bottleneck[] {
  const out: Bottleneck[] = [];
  for (const group of swarm.roles.values()) {
    const waiting = queue.waitingFor(swarm, group);
    const series = [...samples.map((s) => s.queueByRole[group.role] ?? 0), waiting];
    const n = group.agents.size;
    const agents = `${n} agent${n === 1 ? '' : 's'}`;
    if (keepsGrowing(series)) {
      const first = series[0] as number;
      const busy = samples.length > 0 ? samples.reduce((sum, s) => sum + (s.busyByRole[group.role] ?? 0), 0) / samples.length : 0;
      out.push({
        type: 'role-queue-growing',
        severity: waiting - first >= 20 || waiting >= 2 * first + 10 ? 'critical' : 'warning',
        role: group.role,
        message: `tasks waiting for role '${group.role}' grew from ${first} to ${waiting} over the last ${secs} s while its ${agents} ${n === 1 ? 'was' : 'were'} ${pct(busy)}% busy`,
        figures: { from: first, to: waiting, agents: n, busyPercent: pct(busy) },
      });
    } else if (group.counts.busy > 0 && group.counts.idle === 0 && waiting >= Math.max(3, 2 * n)) {
      out.push({
        type: 'role-saturated',
        severity: waiting >= 10 * n ? 'critical' : 'warning',
        role: group.role,
        message: `every working '${group.role}' agent is busy (${group.counts.busy} of ${n}) with ${waiting} tasks waiting for them, ${(waiting / n).toFixed(1)} per agent`,
        figures: { waiting, agents: n, busy: group.counts.busy, perAgent: Number((waiting / n).toFixed(1)) },
      });
    }
  }
  return out;
}

function failingAgents(swarm: SwarmState, from: number, secs: number): Bottleneck[] {
  const counts = [...swarm.agents.values()].map((agent) => ({ agent, n: agent.failures.filter((t) => t >= from).length }));
  const total = counts.reduce((sum, c) => sum + c.n, 0);
  const out: Bottleneck[] = [];
  for (const { agent, n } of counts) {
    const othersMean = counts.length > 1 ? (total - n) / (counts.length - 1) : 0;
    if (n < 3 || n < 2 * othersMean) continue;
    out.push({
      type: 'failing-agent',
      severity: n >= 6 ? 'critical' : 'warning',
      agentId: agent.id,
      role: agent.role,
      message: `agent ${agent.id} (${agent.role}) failed ${n} times in the last ${secs} s; the other agents averaged ${othersMean.toFixed(1)}`,
      figures: { failures: n, othersAverage: Number(othersMean.toFixed(2)) },
    });
  }
  return out;
}

function missingSkills(swarm: SwarmState, queue: TaskQueue): Bottleneck[] {
  const stuck = new Map<string, number>();
  for (const task of queue.tasks()) {
    if (task.requestedSwarmId !== swarm.id || task.requested !== 'auto') continue;
    if ([...swarm.roles.values()].some((g) => fitOf(g.skills, task.requirements) !== null)) continue;
    const key = task.requirements.join(', ');
    stuck.set(key, (stuck.get(key) ?? 0) + 1);
  }
  return [...stuck].map(([skills, n]) => ({
    type: 'missing-skills' as const,
    severity: 'critical' as const,
    message: `${n} task${n === 1 ? '' : 's'} for this swarm need${n === 1 ? 's' : ''} skills no agent here has: ${skills || '(any agent)'}`,
    figures: { tasks: n, skills },
  }));
}

function coordinationOverhead(swarm: SwarmState, c: Counters): Bottleneck[] {
  const spent = c.coordinationMs + c.workMs;
  if (c.assignments < 10 || spent === 0 || c.coordinationMs / spent < 0.2) return [];
  const share = c.coordinationMs / spent;
  const perAssignment = Math.round(c.coordinationMs / c.assignments);
  return [
    {
      type: 'coordination-overhead',
      severity: share >= 0.4 ? 'critical' : 'warning',
      message: `coordination takes ${pct(share)}% of assignment time (${swarm.topology}, ${swarm.agents.size} agents, ${perAssignment} ms per assignment)`,
      figures: { coordinationPercent: pct(share), avgCoordinationMs: perAssignment, topology: swarm.topology },
    },
  ];
}

/** swarm:analyze: efficiency and bottlenecks over the window, from the samples the efficiency monitor keeps. */
export function analyzeSwarm(swarm: SwarmState, queue: TaskQueue, now: number, args: CommandArgs<'swarm:analyze'>): SwarmAnalysis {
  const windowMs = args.timeWindow ?? DEFAULT_ANALYSIS_WINDOW_MS;
  const { counters: c, ms, samples } = windowOf(swarm, now, windowMs);
  const figures = figuresOf(c, ms);
  const secs = Math.round(ms / 1000);
  const bottlenecks = [
    ...roleQueues(swarm, queue, samples, secs),
    ...failingAgents(swarm, now - windowMs, secs),
    ...missingSkills(swarm, queue),
    ...coordinationOverhead(swarm, c),
  ];
  const result: SwarmAnalysis = { swarmId: swarm.id, efficiency: figures.efficiency, bottlenecks };
  if (args.includeMetrics) {
    const byStatus: Record<AgentStatus, number> = { idle: 0, busy: 0, offline: 0, failed: 0 };
    const roles: Record<string, Record<string, number>> = {};
    for (const group of swarm.roles.values()) {
      for (const s of Object.keys(byStatus) as AgentStatus[]) byStatus[s] += group.counts[s];
      roles[group.role] = { agents: group.agents.size, ...group.counts, queued: queue.waitingFor(swarm, group) };
    }
    result.metrics = {
      windowMs,
      coveredMs: ms,
      samples: samples.length,
      topology: swarm.topology,
      agents: swarm.agents.size,
      agentsByStatus: byStatus,
      queued: queue.waitingFor(swarm, null),
      ...figures,
      assignments: c.assignments,
      started: c.started,
      completed: c.completed,
      failed: c.failed,
      requeued: c.requeued,
      agentFailures: c.agentFailures,
      roles,
    };
  }
  return result;
}
