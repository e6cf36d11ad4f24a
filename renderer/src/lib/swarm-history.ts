import { numAt, strAt, type Obj } from './pick';
import type { Pt } from './series.svelte';

/** Logged swarm:efficiency reports (oldest first) by swarm id. */
export function reportsBySwarm(reports: readonly Obj[]): Map<string, Obj[]> {
  const bySwarm = new Map<string, Obj[]>();
  for (const r of reports) {
    const id = strAt(r, 'swarmId');
    if (!id) continue;
    const list = bySwarm.get(id);
    if (list) list.push(r);
    else bySwarm.set(id, [r]);
  }
  return bySwarm;
}

/**
 * Busy and present agents over time from logged efficiency reports (oldest first):
 * each carries its swarm's busy share and agent count over its interval. One sweep
 * reports every swarm once, in a row; a swarm seen again starts the next sweep.
 */
export function busyAgentsOf(reports: readonly Obj[]): { busy: Pt[]; total: Pt[] } {
  const busy: Pt[] = [];
  const total: Pt[] = [];
  let sweep = new Set<string>();
  for (const r of reports) {
    const at = numAt(r, 'timestamp');
    const agents = numAt(r, 'agents');
    const share = numAt(r, 'avgUtilization');
    const swarmId = strAt(r, 'swarmId');
    if (at === undefined || agents === undefined || share === undefined || swarmId === undefined) continue;
    if (sweep.has(swarmId) || busy.length === 0) {
      sweep = new Set();
      busy.push({ x: at, y: 0 });
      total.push({ x: at, y: 0 });
    }
    sweep.add(swarmId);
    busy[busy.length - 1]!.y += share * agents;
    total[total.length - 1]!.y += agents;
  }
  return { busy: busy.map((p) => ({ x: p.x, y: Math.round(p.y * 10) / 10 })), total };
}
