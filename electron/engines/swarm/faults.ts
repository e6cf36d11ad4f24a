import type { Random } from '../random';
import type { Roster } from './agents';
import type { AgentState, SwarmState } from './state';
import type { TaskRunner } from './task-runner';
import type { Timeline } from './timeline';

/** Failure timestamps kept per agent, enough for any analysis window in practice. */
const FAILURES_KEPT = 100;

export interface FaultSettings {
  /** Chance that a given agent fails in a simulated minute (the `swarms.failureRate` setting). */
  failureRate: number;
  /** Mean simulated time a failed or offline agent needs to come back. */
  recoveryMs: number;
}

/**
 * Agents fail (crash) or drop offline now and then and come back later. Each
 * swarm is a Poisson process of rate (working agents × per-agent rate); the
 * victim is drawn by fragility, so flaky agents fail more often. A failing
 * agent's task goes back to the queue. Each swarm has its own random stream so
 * swarms do not perturb one another.
 */
export class Faults {
  private readonly streams = new Map<string, Random>();

  constructor(
    private readonly timeline: Timeline,
    private readonly roster: Roster,
    private readonly runner: TaskRunner,
    private readonly random: Random,
    private readonly settings: () => FaultSettings,
  ) {}

  /** (Re)draws the time of the swarm's next failure; call when its working agents or the rate change. */
  schedule(swarm: SwarmState): void {
    this.timeline.cancel(swarm.nextFault);
    swarm.nextFault = null;
    const p = Math.min(this.settings().failureRate, 0.999);
    const working = [...swarm.agents.values()].filter(isWorking).length;
    if (p <= 0 || working === 0) return;
    const perAgentPerMs = -Math.log(1 - p) / 60_000;
    const wait = -Math.log(1 - this.stream(swarm).next()) / (perAgentPerMs * working);
    swarm.nextFault = this.timeline.after(Math.max(1, Math.round(wait)), () => this.strike(swarm));
  }

  stop(swarm: SwarmState): void {
    this.timeline.cancel(swarm.nextFault);
    swarm.nextFault = null;
    this.streams.delete(swarm.id);
  }

  private strike(swarm: SwarmState): void {
    swarm.nextFault = null;
    const now = this.timeline.now();
    const random = this.stream(swarm);
    const victim = pickWeighted([...swarm.agents.values()].filter(isWorking), random);
    if (victim) {
      const status = random.chance(0.7) ? 'failed' : 'offline';
      const reason = status === 'failed' ? `agent ${victim.id} crashed` : `agent ${victim.id} lost its connection`;
      victim.failures.push(now);
      if (victim.failures.length > FAILURES_KEPT) victim.failures.shift();
      swarm.meter.current.agentFailures++;
      const taskId = victim.task?.id;
      this.roster.setStatus(victim, status, now, { reason, ...(taskId ? { taskId } : {}) });
      this.runner.evict(victim, reason, now, false);
      this.recoverLater(victim);
    }
    this.schedule(swarm);
  }

  /** Brings a failed or offline agent back after a while (also used for agents that were down at a restart). */
  recoverLater(agent: AgentState): void {
    const back = this.settings().recoveryMs * (0.5 + this.stream(agent.swarm).next());
    agent.recovery = this.timeline.after(Math.round(back), () => this.recover(agent));
  }

  private recover(agent: AgentState): void {
    agent.recovery = null;
    const now = this.timeline.now();
    this.roster.setStatus(agent, 'idle', now, { reason: `agent ${agent.id} recovered` });
    this.runner.release(agent, now);
    this.schedule(agent.swarm);
  }

  private stream(swarm: SwarmState): Random {
    let r = this.streams.get(swarm.id);
    if (!r) {
      r = this.random.fork(`faults/${swarm.id}`);
      this.streams.set(swarm.id, r);
    }
    return r;
  }
}

const isWorking = (a: AgentState): boolean => a.status === 'idle' || a.status === 'busy';

function pickWeighted(agents: AgentState[], random: Random): AgentState | undefined {
  const total = agents.reduce((sum, a) => sum + a.fragility, 0);
  let x = random.next() * total;
  for (const a of agents) {
    x -= a.fragility;
    if (x < 0) return a;
  }
  return agents[agents.length - 1];
}
