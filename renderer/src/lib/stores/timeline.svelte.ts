import { onEvent } from '../bus';
import { numAt, strAt } from '../pick';
import { LiveSeries, type Pt } from '../series.svelte';
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
    // Busy and present agents before this page loaded: each logged efficiency report carries its
    // swarm's busy share and agent count over its interval. One sweep reports every swarm once,
    // in a row: a swarm seen again starts the next sweep.
    swarms.onEfficiencyHistory((reports) => {
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
      this.busyAgents.replace(busy.map((p) => ({ x: p.x, y: Math.round(p.y * 10) / 10 })));
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
