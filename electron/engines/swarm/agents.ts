import type { EventBus } from '../bus';
import type { Random } from '../random';
import { touch } from './efficiency';
import type { Persistence } from './persistence';
import { skillsOf } from './skills';
import type { AgentRecord, AgentState, AgentStatus, IdleAgents, RoleGroup, SwarmState, World } from './state';
import type { Timeline } from './timeline';

/** Load is the busy share of the recent past: it relaxes exponentially towards 1 while busy and 0 otherwise. */
export const LOAD_HORIZON_MS = 60_000;

export function loadOf(agent: AgentState, now: number): number {
  const decay = Math.exp(-Math.max(0, now - agent.loadAt) / LOAD_HORIZON_MS);
  return agent.status === 'busy' ? 1 - (1 - agent.load) * decay : agent.load * decay;
}

/**
 * Idle agents all decay at the same rate, so ln(load) + loadAt / horizon orders
 * them by current load at any later time: the idle heaps never need re-keying.
 */
function idleKeyOf(agent: AgentState): number {
  return agent.load <= 0 ? -Infinity : Math.log(agent.load) + agent.loadAt / LOAD_HORIZON_MS;
}

const isDown = (status: AgentStatus): boolean => status === 'failed' || status === 'offline';
const emptyCounts = (): Record<AgentStatus, number> => ({ idle: 0, busy: 0, offline: 0, failed: 0 });

/** Owns agents joining and leaving swarms and every status change, which it announces. */
export class Roster {
  private readonly random: Random;

  constructor(
    private readonly world: World,
    private readonly bus: EventBus,
    private readonly persist: Persistence,
    private readonly pool: IdleAgents,
    private readonly timeline: Timeline,
    random: Random,
  ) {
    this.random = random.fork('agents');
  }

  add(swarm: SwarmState, role: string, now: number): AgentState {
    const seq = this.persist.next('agent');
    // One agent in ten is flaky: it fails five times as often, which analysis should notice.
    const fragility = this.random.chance(0.1) ? 5 : 1;
    const agent = this.attach(swarm, { id: `agent-${seq}`, seq, role, skills: skillsOf(role), status: 'idle', load: 0, loadAt: now, fragility }, now);
    this.persist.agent(agent);
    return agent;
  }

  /**
   * Re-attaches an agent loaded from the store; a busy one comes back idle (its
   * task is re-queued). Skills are re-derived from the role so that agents of a
   * role always share them, even if ROLE_SKILLS changed between versions.
   */
  restore(swarm: SwarmState, record: AgentRecord, now: number): AgentState {
    const status = record.status === 'busy' ? 'idle' : record.status;
    const agent = this.attach(swarm, { ...record, skills: skillsOf(record.role), status }, now);
    if (record.status === 'busy') this.persist.agent(agent);
    return agent;
  }

  /** Takes back an agent of a refused create: it was never saved or announced, so nothing is written or said. */
  discard(agent: AgentState): void {
    this.world.agents.delete(agent.id);
    this.pool.remove(agent);
    this.persist.forget({ agents: [agent] });
  }

  /** Removes an agent; the caller has already taken its task off it. */
  remove(agent: AgentState, now: number): void {
    const swarm = agent.swarm;
    touch(swarm, now);
    if (agent.status === 'busy') swarm.meter.busy--;
    swarm.agents.delete(agent.id);
    this.world.agents.delete(agent.id);
    const group = swarm.roles.get(agent.role);
    if (group) {
      group.agents.delete(agent);
      group.counts[agent.status]--;
      if (group.agents.size === 0) swarm.roles.delete(agent.role);
    }
    this.pool.remove(agent);
    this.timeline.cancel(agent.recovery);
    this.persist.dropAgent(agent);
  }

  setStatus(agent: AgentState, status: AgentStatus, now: number, why?: { reason?: string; taskId?: string }): void {
    const old = agent.status;
    if (old === status) return;
    const swarm = agent.swarm;
    touch(swarm, now);
    agent.load = loadOf(agent, now);
    agent.loadAt = now;
    if (old === 'busy') swarm.meter.busy--;
    if (status === 'busy') swarm.meter.busy++;
    const group = swarm.roles.get(agent.role);
    if (group) {
      group.counts[old]--;
      group.counts[status]++;
    }
    agent.status = status;
    if (status === 'idle') {
      agent.idleKey = idleKeyOf(agent);
      this.pool.add(agent);
    } else this.pool.remove(agent);
    // Busy and idle follow from the tasks (a restart turns busy agents idle), so only failures and recoveries are written.
    if (isDown(old) || isDown(status)) this.persist.agent(agent);
    this.bus.publish('swarm:agent:status', {
      swarmId: swarm.id,
      agentId: agent.id,
      role: agent.role,
      oldStatus: old,
      newStatus: status,
      ...(why?.reason ? { reason: why.reason } : {}),
      ...(why?.taskId ? { taskId: why.taskId } : {}),
    });
  }

  private attach(swarm: SwarmState, record: AgentRecord, now: number): AgentState {
    touch(swarm, now);
    const agent: AgentState = {
      ...record,
      swarm,
      skillSet: new Set(record.skills),
      idleKey: -Infinity,
      task: null,
      failures: [],
      recovery: null,
    };
    agent.idleKey = idleKeyOf(agent);
    swarm.agents.set(agent.id, agent);
    this.world.agents.set(agent.id, agent);
    let group: RoleGroup | undefined = swarm.roles.get(agent.role);
    if (!group) {
      group = { role: agent.role, skills: agent.skillSet, agents: new Set(), counts: emptyCounts() };
      swarm.roles.set(agent.role, group);
    }
    group.agents.add(agent);
    group.counts[agent.status]++;
    if (agent.status === 'idle') this.pool.add(agent);
    return agent;
  }
}
