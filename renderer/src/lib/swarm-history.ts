import type { EventPayload } from '../../../shared/protocol/events';
import type { Pt } from './series.svelte';

/** The figures of a logged `swarm:efficiency` report that the charts draw. */
export type EfficiencyReport = Pick<EventPayload<'swarm:efficiency'>, 'swarmId' | 'timestamp' | 'agents' | 'avgUtilization'>;

/** Logged swarm:efficiency reports (oldest first) by swarm id. */
export function reportsBySwarm<R extends EfficiencyReport>(reports: readonly R[]): Map<string, R[]> {
  const bySwarm = new Map<string, R[]>();
  for (const r of reports) {
    const list = bySwarm.get(r.swarmId);
    if (list) list.push(r);
    else bySwarm.set(r.swarmId, [r]);
  }
  return bySwarm;
}

/**
 * Busy and present agents over time from logged efficiency reports (oldest first):
 * each carries its swarm's busy share (a fraction) and agent count over its interval.
 * One sweep reports every swarm once, in a row; a swarm seen again starts the next sweep.
 */
export function busyAgentsOf(reports: readonly EfficiencyReport[]): { busy: Pt[]; total: Pt[] } {
  const busy: Pt[] = [];
  const total: Pt[] = [];
  let sweep = new Set<string>();
  for (const r of reports) {
    if (sweep.has(r.swarmId) || busy.length === 0) {
      sweep = new Set();
      busy.push({ x: r.timestamp, y: 0 });
      total.push({ x: r.timestamp, y: 0 });
    }
    sweep.add(r.swarmId);
    busy[busy.length - 1]!.y += r.avgUtilization * r.agents;
    total[total.length - 1]!.y += r.agents;
  }
  return { busy: busy.map((p) => ({ x: p.x, y: Math.round(p.y * 10) / 10 })), total };
}
