import type { Agent, Swarm } from '../../../../shared/protocol/models';
import type { CommandInput } from '../../../../shared/protocol/command-table';
import type { CommandResults } from '../../../../shared/protocol/results';
import { onEvent } from '../server-events';
import type { EventPayload } from '../../../../shared/protocol/events';
import { rest } from '../rest';
import { loggedEvents } from '../event-history';
import { reportsBySwarm } from '../swarm-history';
import { LiveSeries, type Pt } from '../series.svelte';
import { connection } from './connection.svelte';
import { registerPaletteProvider } from './palette-entries';
import { router } from '../router.svelte';

export type AgentStatus = Agent['status'];
export interface TopologyChange {
  at: number;
  from: string;
  to: string;
  reason: string;
}
export interface EfficiencySeries {
  efficiency: LiveSeries;
  utilization: LiveSeries;
  tasksPerMinute: LiveSeries;
  latency: LiveSeries;
  last: EventPayload<'swarm:efficiency'> | null;
  at: number | null;
}

/** What a swarm's "efficiency" measures (electron/engines/swarm/efficiency.ts), said wherever it is shown. */
export const EFFICIENCY_MEANS = 'share of agent time spent working rather than coordinating × share of attempts not redone, over the last window; 100 % when nothing ran';

const EFF_AGE = 60 * 60_000;
type EfficiencyReport = EventPayload<'swarm:efficiency'>;
const MAX_CHANGES = 50;

/** The swarm a `swarm:created` announces: the event carries the whole swarm. */
function createdSwarm(p: EventPayload<'swarm:created'>): Swarm {
  return { id: p.id, name: p.name, topology: p.topology, createdAt: p.createdAt, agents: p.agents };
}

class SwarmsStore {
  /** Deeply reactive: agent status changes update one field. */
  byId = $state<Record<string, Swarm>>({});
  loadedAt = $state<number | null>(null);
  lastEventAt = $state<number | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  changes = $state<Record<string, TopologyChange[]>>({});
  /** Agent id → swarm id, for O(1) status updates. */
  #agentIndex = new Map<string, { swarmId: string; index: number }>();
  #efficiency = new Map<string, EfficiencySeries>();
  /** Bumped when an efficiency series is created (the map itself is not reactive). */
  effRev = $state(0);
  /** Agent id → its status changes seen live, newest first (bounded); `statusRev` signals. */
  #statusHistory = new Map<string, { at: number; from: string; to: string; taskId: string | null }[]>();
  statusRev = $state(0);
  #historyListeners = new Set<(reports: EfficiencyReport[]) => void>();

  list = $derived(Object.values(this.byId).sort((a, b) => a.createdAt - b.createdAt));
  agentCount = $derived(this.list.reduce((n, s) => n + s.agents.length, 0));
  busyAgents = $derived(this.list.reduce((n, s) => n + s.agents.filter((a) => a.status === 'busy').length, 0));

  constructor() {
    onEvent('swarm:created', (p) => {
      this.#put(createdSwarm(p));
      this.lastEventAt = Date.now();
    });
    onEvent('swarm:deleted', (p) => {
      this.#remove(p.swarmId);
      this.lastEventAt = Date.now();
    });
    onEvent('swarm:scaled', (p) => {
      // The event names the change; the new agents come from the swarm itself.
      void this.refresh(p.swarmId);
      this.lastEventAt = Date.now();
    });
    onEvent('swarm:agent:status', (p) => {
      this.lastEventAt = Date.now();
      this.#noteStatus(p.agentId, { at: p.timestamp, from: p.oldStatus, to: p.newStatus, taskId: p.taskId ?? null });
      const ref = this.#agentIndex.get(p.agentId);
      const swarm = this.byId[p.swarmId];
      if (!swarm) return;
      const agent = ref && ref.swarmId === p.swarmId ? swarm.agents[ref.index] : undefined;
      if (agent && agent.id === p.agentId) {
        agent.status = p.newStatus;
        agent.currentTaskId = p.newStatus === 'busy' ? (p.taskId ?? agent.currentTaskId) : null;
      } else {
        const i = swarm.agents.findIndex((a) => a.id === p.agentId);
        if (i >= 0) {
          swarm.agents[i]!.status = p.newStatus;
          this.#agentIndex.set(p.agentId, { swarmId: p.swarmId, index: i });
        } else {
          // An agent this page has not seen: what the event says now, the rest at the next read.
          swarm.agents.push({ id: p.agentId, swarmId: p.swarmId, role: p.role, skills: [], status: p.newStatus, load: 0, currentTaskId: p.taskId ?? null });
          this.#agentIndex.set(p.agentId, { swarmId: p.swarmId, index: swarm.agents.length - 1 });
        }
      }
    });
    onEvent('swarm:topology:changed', (p) => {
      this.lastEventAt = Date.now();
      const swarm = this.byId[p.swarmId];
      if (swarm) swarm.topology = p.to;
      const list = this.changes[p.swarmId] ?? [];
      this.changes[p.swarmId] = [{ at: p.timestamp, from: p.from, to: p.to, reason: p.reason }, ...list].slice(0, MAX_CHANGES);
    });
    onEvent('swarm:efficiency', (p) => {
      this.lastEventAt = Date.now();
      const e = this.efficiencyOf(p.swarmId);
      const t = p.timestamp;
      e.efficiency.push(t, p.efficiency * 100);
      e.utilization.push(t, p.avgUtilization * 100);
      e.tasksPerMinute.push(t, p.tasksPerMinute);
      e.latency.push(t, p.avgLatency);
      e.last = p;
      e.at = Date.now();
    });
    connection.onConnected(() => void this.load());
    registerPaletteProvider(() => ({
      heading: 'Swarms',
      items: [
        { id: 'swarm:new', label: 'Create a swarm…', keywords: ['new', 'swarm'], needs: 'write:swarms', run: () => router.go('swarms?create=1') },
        ...this.list.slice(0, 50).map((s) => ({
          id: `swarm:${s.id}`,
          label: `Swarm: ${s.name}`,
          hint: `${s.topology} · ${s.agents.length} agents`,
          keywords: [s.id],
          run: () => router.go(`swarms/${encodeURIComponent(s.id)}`),
        })),
      ],
    }));
  }

  /** Hears the logged swarm:efficiency reports, oldest first, each time they are loaded (the Timeline's busy lane). */
  onEfficiencyHistory(fn: (reports: EfficiencyReport[]) => void): void {
    this.#historyListeners.add(fn);
  }

  /**
   * The charts' recent past from the server's event log, so a reload does not start them
   * empty: every swarm's efficiency reports (points newer than the history, already live, stay).
   */
  async #loadHistory(): Promise<void> {
    let reports: EfficiencyReport[];
    try {
      // The log keeps each report as the server published it, in the contract's shape.
      reports = (await loggedEvents({ channels: ['swarms'], events: ['swarm:efficiency'], limit: 1000 })).map((e) => e.data as EfficiencyReport);
    } catch {
      return;
    }
    for (const [swarmId, list] of reportsBySwarm(reports)) {
      const e = this.efficiencyOf(swarmId);
      const pts = (y: (r: EfficiencyReport) => number): Pt[] => list.map((r) => ({ x: r.timestamp, y: y(r) }));
      e.efficiency.replace(pts((r) => r.efficiency * 100));
      e.utilization.replace(pts((r) => r.avgUtilization * 100));
      e.tasksPerMinute.replace(pts((r) => r.tasksPerMinute));
      e.latency.replace(pts((r) => r.avgLatency));
      e.last ??= list.at(-1) ?? null;
    }
    for (const fn of this.#historyListeners) fn(reports);
  }

  /** An agent's status changes this page saw, newest first. */
  statusHistoryOf(agentId: string): { at: number; from: string; to: string; taskId: string | null }[] {
    void this.statusRev;
    // A copy: the kept list is mutated in place, and a derived value must change identity to update.
    return this.#statusHistory.get(agentId)?.slice() ?? [];
  }

  #noteStatus(agentId: string, change: { at: number; from: string; to: string; taskId: string | null }): void {
    let list = this.#statusHistory.get(agentId);
    if (!list) {
      if (this.#statusHistory.size >= 2000) this.#statusHistory.delete(this.#statusHistory.keys().next().value!);
      this.#statusHistory.set(agentId, (list = []));
    }
    list.unshift(change);
    if (list.length > 100) list.length = 100;
    this.statusRev++;
  }

  efficiencyOf(swarmId: string): EfficiencySeries {
    let e = this.#efficiency.get(swarmId);
    if (!e) {
      e = {
        efficiency: new LiveSeries(EFF_AGE, 2000),
        utilization: new LiveSeries(EFF_AGE, 2000),
        tasksPerMinute: new LiveSeries(EFF_AGE, 2000),
        latency: new LiveSeries(EFF_AGE, 2000),
        last: null,
        at: null,
      };
      this.#efficiency.set(swarmId, e);
      queueMicrotask(() => this.effRev++);
    }
    return e;
  }

  async load(): Promise<void> {
    if (!connection.can('read:swarms')) return;
    this.loading = true;
    this.error = null;
    try {
      const { swarms } = await rest('GET /api/swarms');
      const next: Record<string, Swarm> = {};
      for (const s of swarms) next[s.id] = s;
      this.byId = next;
      this.#reindex();
      this.loadedAt = Date.now();
      void this.#loadHistory();
    } catch (err) {
      this.error = (err as Error).message;
    } finally {
      this.loading = false;
    }
  }

  async refresh(swarmId: string): Promise<void> {
    try {
      this.#put(await rest('GET /api/swarms/:id', { params: { id: swarmId } }));
    } catch {
      /* the list stays as it was */
    }
  }

  async create(input: CommandInput<'swarm:create'>): Promise<Swarm> {
    const client = connection.requireClient();
    const swarm = await client.request('swarm:create', input);
    this.#put(swarm);
    return swarm;
  }

  async scale(input: CommandInput<'swarm:scale'>): Promise<Swarm> {
    const swarm = await connection.requireClient().request('swarm:scale', input);
    this.#put(swarm);
    return swarm;
  }

  async remove(swarmId: string): Promise<void> {
    await connection.requireClient().request('swarm:delete', { swarmId });
    this.#remove(swarmId);
  }

  async analyze(swarmId: string, timeWindow?: number): Promise<CommandResults['swarm:analyze']> {
    return connection.requireClient().request('swarm:analyze', { swarmId, includeMetrics: true, ...(timeWindow ? { timeWindow } : {}) });
  }

  #put(s: Swarm): void {
    this.byId[s.id] = s;
    s.agents.forEach((a, index) => this.#agentIndex.set(a.id, { swarmId: s.id, index }));
  }

  #remove(id: string): void {
    const s = this.byId[id];
    if (s) for (const a of s.agents) this.#agentIndex.delete(a.id);
    delete this.byId[id];
  }

  #reindex(): void {
    this.#agentIndex.clear();
    for (const s of Object.values(this.byId)) s.agents.forEach((a, index) => this.#agentIndex.set(a.id, { swarmId: s.id, index }));
  }
}

export const swarms = new SwarmsStore();
