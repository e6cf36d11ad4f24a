import { TOPOLOGIES } from '../../../shared/protocol/commands';
import { windowOf } from './efficiency';
import type { SwarmState, Topology } from './state';
import { predictDelay, shapeOf } from './topology';

/**
 * When to change a swarm's topology: only on enough fresh evidence (at least
 * `minAssignments` under the current topology within `windowMs`, and
 * `cooldownMs` since the last change), and only when another topology is
 * predicted to cut the measured coordination cost by `minGain` or more — the
 * margin keeps it from flapping between near-equal choices.
 */
export const OPTIMIZER = { windowMs: 60_000, minAssignments: 20, cooldownMs: 60_000, minGain: 0.3 } as const;

export interface TopologyChange {
  from: Topology;
  to: Topology;
  reason: string;
  measuredMs: number;
  predictedMs: number;
}

export function proposeTopology(swarm: SwarmState, now: number): TopologyChange | null {
  if (now - swarm.topologyChangedAt < OPTIMIZER.cooldownMs) return null;
  const { counters: c, ms } = windowOf(swarm, now, OPTIMIZER.windowMs, swarm.topologyChangedAt);
  if (c.assignments < OPTIMIZER.minAssignments || ms <= 0) return null;
  const agents = swarm.agents.size;
  const measured = c.coordinationMs / c.assignments;
  const rate = c.assignments / (ms / 1000);
  let best: { topology: Topology; delay: number } | null = null;
  for (const topology of TOPOLOGIES) {
    if (topology === swarm.topology) continue;
    const delay = predictDelay(topology, agents, rate);
    if (!best || delay < best.delay) best = { topology, delay };
  }
  if (!best || !Number.isFinite(best.delay) || best.delay > measured * (1 - OPTIMIZER.minGain)) return null;
  const messages = (c.messages / c.assignments).toFixed(1);
  const saving = Math.round((1 - best.delay / measured) * 100);
  const reason =
    `${swarm.topology} coordination cost ${Math.round(measured)} ms per assignment (${messages} messages) over the last ` +
    `${Math.round(ms / 1000)} s: ${c.assignments} assignments at ${rate.toFixed(1)}/s with ${agents} agents; ` +
    `${best.topology} is predicted at ${Math.round(best.delay)} ms (${shapeOf(best.topology, agents).messages} messages), ${saving}% less`;
  return { from: swarm.topology, to: best.topology, reason, measuredMs: Math.round(measured), predictedMs: Math.round(best.delay) };
}
