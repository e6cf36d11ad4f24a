import { onEvent } from '../server-events';
import { busyAgentsOf } from '../swarm-history';
import { LiveSeries } from '../series.svelte';
import { connection } from './connection.svelte';
import { swarms } from './swarms.svelte';

/** What the Timeline needs beyond the other stores: agent activity over time and agent incidents. */
export interface AgentIncident {
  key: string;
  at: number;
  agentId: string;
  swarmId: string;
  status: string;
  reason?: string;
}

const AGE = 24 * 3_600_000;
const SAMPLE_MS = 2000;

class TimelineStore {
  busyAgents = new LiveSeries(AGE, 50_000);
  totalAgents = new LiveSeries(AGE, 50_000);
  incidents = $state.raw<AgentIncident[]>([]);
  #seq = 0;

  constructor() {
    setInterval(() => {
      if (!connection.connected || swarms.loadedAt === null) return;
      const t = Date.now();
      this.busyAgents.push(t, swarms.busyAgents);
      this.totalAgents.push(t, swarms.agentCount);
    }, SAMPLE_MS);
    // Busy and present agents before this page loaded, from the logged efficiency reports.
    swarms.onEfficiencyHistory((reports) => {
      const { busy, total } = busyAgentsOf(reports);
      this.busyAgents.replace(busy);
      this.totalAgents.replace(total);
    });
    onEvent('swarm:agent:status', (p) => {
      if (p.newStatus !== 'failed' && p.newStatus !== 'offline' && !(p.oldStatus === 'failed' || p.oldStatus === 'offline')) return;
      const inc: AgentIncident = {
        key: `i${++this.#seq}`,
        at: p.timestamp ?? Date.now(),
        agentId: p.agentId,
        swarmId: p.swarmId,
        status: p.oldStatus === 'failed' || p.oldStatus === 'offline' ? `recovered (${p.newStatus})` : p.newStatus,
        reason: typeof p.reason === 'string' ? p.reason : undefined,
      };
      const cutoff = Date.now() - AGE;
      this.incidents = [...this.incidents.filter((x) => x.at > cutoff).slice(-1999), inc];
    });
  }
}

export const timeline = new TimelineStore();
