import { Heap } from './heap';
import { fitOf } from './skills';
import { PRIORITY_RANK, type AgentState, type IdleAgents, type RoleGroup, type SwarmState, type TaskState, type World } from './state';

const lessLoaded = (a: AgentState, b: AgentState): boolean => a.idleKey < b.idleKey || (a.idleKey === b.idleKey && a.seq < b.seq);
/** Queue order: urgent > high > medium > low, then first come first served (a re-queued task keeps its place). */
const beforeInQueue = (a: TaskState, b: TaskState): boolean => PRIORITY_RANK[a.priority] > PRIORITY_RANK[b.priority] || (a.priority === b.priority && a.seq < b.seq);

interface RoleHeap {
  skills: ReadonlySet<string>;
  heap: Heap<AgentState>;
}

/**
 * Idle agents, in one heap per (swarm, role) and one per role across swarms,
 * each ordered by current load. Agents of a role share skills, so picking the
 * best agent for a task looks at one heap top per role: O(roles · log n).
 */
export class IdlePool implements IdleAgents {
  private readonly inSwarm = new Map<string, RoleHeap>();
  private readonly anywhere = new Map<string, RoleHeap>();

  add(agent: AgentState): void {
    this.heapOf(this.inSwarm, `${agent.swarm.id}\u0000${agent.role}`, agent).push(agent);
    this.heapOf(this.anywhere, agent.role, agent).push(agent);
  }

  remove(agent: AgentState): void {
    this.inSwarm.get(`${agent.swarm.id}\u0000${agent.role}`)?.heap.remove(agent);
    this.anywhere.get(agent.role)?.heap.remove(agent);
  }

  /** The idle agent that fits the requirements best (specialist before generalist), then the least loaded. */
  best(requirements: readonly string[], swarm: SwarmState | null): AgentState | null {
    let best: AgentState | null = null;
    let bestFit = 2;
    const consider = (entry: RoleHeap | undefined): void => {
      const top = entry?.heap.peek();
      if (!entry || !top) return;
      const fit = fitOf(entry.skills, requirements);
      if (fit === null) return;
      if (!best || fit < bestFit || (fit === bestFit && lessLoaded(top, best))) {
        best = top;
        bestFit = fit;
      }
    };
    if (swarm) for (const role of swarm.roles.keys()) consider(this.inSwarm.get(`${swarm.id}\u0000${role}`));
    else for (const entry of this.anywhere.values()) consider(entry);
    return best;
  }

  private heapOf(map: Map<string, RoleHeap>, key: string, agent: AgentState): Heap<AgentState> {
    let entry = map.get(key);
    if (!entry) {
      entry = { skills: agent.skillSet, heap: new Heap(lessLoaded) };
      map.set(key, entry);
    }
    return entry.heap;
  }
}

/** Queued tasks that any given agent either can or cannot take alike: same swarm scope, assignee and requirements. */
interface QueueClass {
  key: string;
  swarmId: string | null;
  assignee: string | null;
  requirements: readonly string[];
  heap: Heap<TaskState>;
}

function classKey(task: TaskState): string {
  return `${task.requestedSwarmId ?? '*'}\u0000${task.requested}\u0000${task.requirements.join('\u0001')}`;
}

/** The waiting queue: one priority heap per class, so push, pop and cancel are O(log n). */
export class TaskQueue {
  private readonly classes = new Map<string, QueueClass>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(task: TaskState): void {
    const key = classKey(task);
    let cls = this.classes.get(key);
    if (!cls) {
      cls = {
        key,
        swarmId: task.requestedSwarmId,
        assignee: task.requested === 'auto' ? null : task.requested,
        requirements: task.requirements,
        heap: new Heap(beforeInQueue),
      };
      this.classes.set(key, cls);
    }
    cls.heap.push(task);
    task.queueKey = key;
    this.count++;
  }

  remove(task: TaskState): boolean {
    const cls = task.queueKey === null ? undefined : this.classes.get(task.queueKey);
    task.queueKey = null;
    if (!cls?.heap.remove(task)) return false;
    this.count--;
    if (cls.heap.size === 0) this.classes.delete(cls.key);
    return true;
  }

  /** The first task in queue order that this agent may take. */
  nextFor(agent: AgentState): TaskState | null {
    let best: TaskState | null = null;
    for (const cls of this.classes.values()) {
      const top = cls.heap.peek();
      if (!top || (best && !beforeInQueue(top, best))) continue;
      if (cls.swarmId !== null && cls.swarmId !== agent.swarm.id) continue;
      if (cls.assignee !== null && cls.assignee !== agent.id) continue;
      if (fitOf(agent.skillSet, cls.requirements) !== null) best = top;
    }
    return best;
  }

  /** How many queued tasks agents of this role (or, without a role, of any role) in the swarm could take. */
  waitingFor(swarm: SwarmState, group: RoleGroup | null): number {
    const groups = group ? [group] : [...swarm.roles.values()];
    let n = 0;
    for (const cls of this.classes.values()) {
      if (cls.swarmId !== null && cls.swarmId !== swarm.id) continue;
      const pinned = cls.assignee === null ? null : swarm.agents.get(cls.assignee);
      if (cls.assignee !== null && !pinned) continue;
      if (groups.some((g) => (!pinned || pinned.role === g.role) && fitOf(g.skills, cls.requirements) !== null)) n += cls.heap.size;
    }
    return n;
  }

  /** Queued tasks, in no particular order. */
  *tasks(): IterableIterator<TaskState> {
    for (const cls of this.classes.values()) yield* cls.heap.values();
  }
}

/** Matches tasks with agents and explains a wait. */
export class Scheduler {
  readonly pool = new IdlePool();
  readonly queue = new TaskQueue();

  constructor(private readonly world: World) {}

  /** The agent a task should go to now, or null when it has to wait. */
  agentFor(task: TaskState): AgentState | null {
    if (task.requested !== 'auto') {
      const agent = this.world.agents.get(task.requested);
      return agent?.status === 'idle' ? agent : null;
    }
    if (task.requestedSwarmId === null) return this.pool.best(task.requirements, null);
    const swarm = this.world.swarms.get(task.requestedSwarmId);
    return swarm ? this.pool.best(task.requirements, swarm) : null;
  }

  taskFor(agent: AgentState): TaskState | null {
    return this.queue.nextFor(agent);
  }

  /** Why a task that found no agent is waiting, in words. */
  reasonFor(task: TaskState): string {
    if (task.requested !== 'auto') {
      const agent = this.world.agents.get(task.requested);
      return agent ? `waiting for agent ${agent.id}, which is ${agent.status}` : `agent ${task.requested} no longer exists`;
    }
    const scoped = task.requestedSwarmId === null ? null : this.world.swarms.get(task.requestedSwarmId);
    const swarms = scoped ? [scoped] : task.requestedSwarmId === null ? [...this.world.swarms.values()] : [];
    const where = task.requestedSwarmId === null ? '' : ` in swarm ${task.requestedSwarmId}`;
    let capable = 0;
    let busy = 0;
    let down = 0;
    for (const swarm of swarms) {
      for (const group of swarm.roles.values()) {
        if (fitOf(group.skills, task.requirements) === null) continue;
        capable += group.agents.size;
        busy += group.counts.busy;
        down += group.counts.failed + group.counts.offline;
      }
    }
    if (capable === 0) {
      if (task.requirements.length > 0) return `no agent${where} has the required skills: ${task.requirements.join(', ')}`;
      return task.requestedSwarmId === null ? 'no swarm has any agents' : `swarm ${task.requestedSwarmId} has no agents`;
    }
    const who = capable === 1 ? `the only capable agent${where} is` : `all ${capable} capable agents${where} are`;
    return `${who} occupied (${busy} busy, ${down} failed or offline)`;
  }
}
