import type { Db } from '../../store/database';
import { unsynced } from '../../store/unsynced';
import type { Clock, TimerHandle } from '../clock';
import type { AgentRecord, AgentState, StepState, SwarmState, TaskState, Topology, WorkflowState } from './state';

export type CounterKind = 'swarm' | 'agent' | 'task' | 'workflow';

export type SwarmRecord = Pick<SwarmState, 'id' | 'seq' | 'name' | 'topology' | 'createdAt' | 'topologyChangedAt'>;
export type StoredAgent = AgentRecord & { swarmId: string };
export type TaskRecord = Omit<TaskState, 'agent' | 'timer' | 'queueKey'>;

export interface LoadedState {
  swarms: SwarmRecord[];
  agents: StoredAgent[];
  /** Unfinished tasks, in creation order. */
  active: TaskRecord[];
  /** The most recently finished tasks, oldest first. */
  finished: TaskRecord[];
  workflows: WorkflowState[];
}

/** Rows per background transaction: keeps each one to a few milliseconds. */
const GROUP_ROWS = 250;
const ACTIVE_STATES = "('queued','assigned','running','interrupted')";
type Row = Record<string, unknown>;

const str = (row: Row, key: string): string => String(row[key]);
const num = (row: Row, key: string): number => Number(row[key]);
const optStr = (row: Row, key: string): string | null => (row[key] === null || row[key] === undefined ? null : String(row[key]));
const optNum = (row: Row, key: string): number | null => (row[key] === null || row[key] === undefined ? null : Number(row[key]));

function toTaskRecord(row: Row): TaskRecord {
  const result = optStr(row, 'result');
  return {
    id: str(row, 'id'),
    seq: num(row, 'seq'),
    title: str(row, 'title'),
    description: optStr(row, 'description') ?? undefined,
    priority: str(row, 'priority') as TaskRecord['priority'],
    state: str(row, 'state') as TaskRecord['state'],
    requested: str(row, 'requested'),
    requirements: JSON.parse(str(row, 'requirements')) as string[],
    estimatedDuration: num(row, 'estimated_duration'),
    requestedSwarmId: optStr(row, 'requested_swarm_id'),
    swarmId: optStr(row, 'swarm_id'),
    assignee: optStr(row, 'assignee'),
    workflowId: optStr(row, 'workflow_id'),
    stepId: optStr(row, 'step_id'),
    progress: num(row, 'progress'),
    stage: optStr(row, 'stage'),
    queueReason: optStr(row, 'queue_reason'),
    createdAt: num(row, 'created_at'),
    queuedAt: num(row, 'queued_at'),
    startedAt: optNum(row, 'started_at'),
    finishedAt: optNum(row, 'finished_at'),
    result: result === null ? undefined : (JSON.parse(result) as unknown),
    error: optStr(row, 'error'),
    attempts: num(row, 'attempts'),
    interruptions: num(row, 'interruptions'),
  };
}

function toWorkflow(row: Row): WorkflowState {
  return {
    id: str(row, 'id'),
    seq: num(row, 'seq'),
    name: str(row, 'name'),
    state: str(row, 'state') as WorkflowState['state'],
    priority: str(row, 'priority') as WorkflowState['priority'],
    swarmId: optStr(row, 'swarm_id'),
    createdAt: num(row, 'created_at'),
    finishedAt: optNum(row, 'finished_at'),
    error: optStr(row, 'error'),
    steps: JSON.parse(str(row, 'steps')) as StepState[],
  };
}

/**
 * The engine's SQLite repositories, written behind: mutations mark entities
 * dirty and `flush()` writes their current state in one synced transaction.
 * Commands flush before they return (so an ack means durable, and everything
 * dirty before it is durable too); simulated transitions are group-committed
 * `flushIntervalMs` (real time) after they happen, in short unsynced
 * transactions (see groupCommit). Progress ticks, a task's start and busy/idle
 * flips are not written: a task assigned or running at a crash is interrupted
 * and re-queued from the start anyway, and agents come back idle.
 */
export class Persistence {
  private readonly swarms = new Set<SwarmState>();
  private readonly agents = new Set<AgentState>();
  private readonly tasks = new Set<TaskState>();
  private readonly workflows = new Set<WorkflowState>();
  private readonly droppedAgents = new Set<string>();
  private readonly droppedSwarms = new Set<string>();
  private readonly counters = new Map<CounterKind, number>();
  private countersDirty = false;
  private abandoned = false;
  private timer: TimerHandle | undefined;
  private readonly stmt;

  constructor(
    private readonly db: Db,
    private readonly realClock: Clock,
    private readonly flushIntervalMs: number,
    private readonly onError: (error: unknown) => void,
    /** Runs a write in one transaction; the engine's passes the events staged so far along (the outbox). */
    private readonly transact: (write: () => void) => void = (write) => db.transaction(write)(),
  ) {
    this.stmt = {
      swarm: db.prepare(
        `INSERT INTO swarms (id, seq, name, topology, created_at, topology_changed_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, topology = excluded.topology, topology_changed_at = excluded.topology_changed_at`,
      ),
      agentInsert: db.prepare('INSERT INTO swarm_agents (id, swarm_id, seq, role, skills, status, load, load_at, fragility) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      agentUpdate: db.prepare('UPDATE swarm_agents SET status = ?, load = ?, load_at = ? WHERE id = ?'),
      taskInsert: db.prepare(
        `INSERT INTO tasks (id, seq, title, description, priority, state, requested, requirements, estimated_duration,
           requested_swarm_id, swarm_id, assignee, workflow_id, step_id, progress, stage, queue_reason, created_at,
           queued_at, started_at, finished_at, result, error, attempts, interruptions)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      taskUpdate: db.prepare(
        `UPDATE tasks SET state = ?, swarm_id = ?, assignee = ?, progress = ?, stage = ?, queue_reason = ?, queued_at = ?,
           started_at = ?, finished_at = ?, result = ?, error = ?, attempts = ?, interruptions = ? WHERE id = ?`,
      ),
      workflow: db.prepare(
        `INSERT INTO workflows (id, seq, name, state, priority, swarm_id, created_at, finished_at, error, steps)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, finished_at = excluded.finished_at, error = excluded.error, steps = excluded.steps`,
      ),
      dropAgent: db.prepare('DELETE FROM swarm_agents WHERE id = ?'),
      dropSwarm: db.prepare('DELETE FROM swarms WHERE id = ?'),
      counter: db.prepare('INSERT INTO swarm_counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value'),
      taskById: db.prepare('SELECT * FROM tasks WHERE id = ?'),
      workflowById: db.prepare('SELECT * FROM workflows WHERE id = ?'),
    };
  }

  /** Next number in a sequence; ids are `<kind>-<n>` and never reused, even after deletions and restarts. */
  next(kind: CounterKind): number {
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    this.countersDirty = true;
    this.schedule();
    return n;
  }

  /** The id counters now, to put back if a create is refused. */
  counterSnapshot(): Map<CounterKind, number> {
    return new Map(this.counters);
  }

  restoreCounters(snapshot: Map<CounterKind, number>): void {
    this.counters.clear();
    for (const [kind, value] of snapshot) this.counters.set(kind, value);
  }

  /** Un-marks entities of a refused create, so nothing of them is ever written. */
  forget(entities: { swarms?: SwarmState[]; agents?: AgentState[]; tasks?: TaskState[]; workflows?: WorkflowState[] }): void {
    for (const s of entities.swarms ?? []) this.swarms.delete(s);
    for (const a of entities.agents ?? []) this.agents.delete(a);
    for (const t of entities.tasks ?? []) this.tasks.delete(t);
    for (const w of entities.workflows ?? []) this.workflows.delete(w);
  }

  swarm(swarm: SwarmState): void {
    this.swarms.add(swarm);
    this.schedule();
  }

  agent(agent: AgentState): void {
    this.agents.add(agent);
    this.schedule();
  }

  task(task: TaskState): void {
    this.tasks.add(task);
    this.schedule();
  }

  workflow(workflow: WorkflowState): void {
    this.workflows.add(workflow);
    this.schedule();
  }

  dropAgent(agent: AgentState): void {
    this.agents.delete(agent);
    this.droppedAgents.add(agent.id);
    this.schedule();
  }

  dropSwarm(swarm: SwarmState): void {
    this.swarms.delete(swarm);
    for (const agent of swarm.agents.values()) this.agents.delete(agent);
    this.droppedSwarms.add(swarm.id);
    this.schedule();
  }

  /** Forgets everything dirty and writes nothing more: the state in memory is not to be kept (the engine halted). */
  abandon(): void {
    this.realClock.clearTimeout(this.timer);
    this.timer = undefined;
    for (const set of [this.swarms, this.agents, this.tasks, this.workflows, this.droppedAgents, this.droppedSwarms]) set.clear();
    this.countersDirty = false;
    this.abandoned = true;
  }

  get pending(): boolean {
    return this.countersDirty || this.swarms.size + this.agents.size + this.tasks.size + this.workflows.size + this.droppedAgents.size + this.droppedSwarms.size > 0;
  }

  /** Writes everything dirty in one transaction; returns once it is committed (and synced to disk). */
  flush(): void {
    this.realClock.clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending) return;
    this.write();
  }

  /**
   * Writes up to `limit` dirty rows (all by default) in one transaction and
   * returns whether any are left. Swarms go first, so an agent's swarm row is
   * always written no later than the agent's.
   */
  private write(limit = Infinity): boolean {
    let budget = limit;
    const take = <T>(set: Set<T>): T[] => {
      const out: T[] = [];
      for (const item of set) {
        if (budget <= 0) break;
        out.push(item);
        budget--;
      }
      return out;
    };
    const swarms = take(this.swarms);
    const agents = take(this.agents);
    const droppedAgents = take(this.droppedAgents);
    const droppedSwarms = take(this.droppedSwarms);
    const tasks = take(this.tasks);
    const workflows = take(this.workflows);
    const counters = this.countersDirty;
    this.transact(() => {
      for (const s of swarms) this.stmt.swarm.run(s.id, s.seq, s.name, s.topology, s.createdAt, s.topologyChangedAt);
      for (const a of agents) {
        // Most writes are transitions of rows that exist: try the narrow UPDATE first, INSERT only when nothing matched.
        if (this.stmt.agentUpdate.run(a.status, a.load, a.loadAt, a.id).changes === 0) {
          this.stmt.agentInsert.run(a.id, a.swarm.id, a.seq, a.role, JSON.stringify(a.skills), a.status, a.load, a.loadAt, a.fragility);
        }
      }
      for (const id of droppedAgents) this.stmt.dropAgent.run(id);
      for (const id of droppedSwarms) this.stmt.dropSwarm.run(id);
      for (const t of tasks) {
        const result = t.result === undefined ? null : JSON.stringify(t.result);
        const updated = this.stmt.taskUpdate.run(
          t.state,
          t.swarmId,
          t.assignee,
          t.progress,
          t.stage,
          t.queueReason,
          t.queuedAt,
          t.startedAt,
          t.finishedAt,
          result,
          t.error,
          t.attempts,
          t.interruptions,
          t.id,
        );
        if (updated.changes === 0) {
          this.stmt.taskInsert.run(
            t.id,
            t.seq,
            t.title,
            t.description ?? null,
            t.priority,
            t.state,
            t.requested,
            JSON.stringify(t.requirements),
            t.estimatedDuration,
            t.requestedSwarmId,
            t.swarmId,
            t.assignee,
            t.workflowId,
            t.stepId,
            t.progress,
            t.stage,
            t.queueReason,
            t.createdAt,
            t.queuedAt,
            t.startedAt,
            t.finishedAt,
            result,
            t.error,
            t.attempts,
            t.interruptions,
          );
        }
      }
      for (const w of workflows) {
        this.stmt.workflow.run(w.id, w.seq, w.name, w.state, w.priority, w.swarmId, w.createdAt, w.finishedAt, w.error, JSON.stringify(w.steps));
      }
      if (counters) for (const [kind, value] of this.counters) this.stmt.counter.run(kind, value);
    });
    for (const s of swarms) this.swarms.delete(s);
    for (const a of agents) this.agents.delete(a);
    for (const id of droppedAgents) this.droppedAgents.delete(id);
    for (const id of droppedSwarms) this.droppedSwarms.delete(id);
    for (const t of tasks) this.tasks.delete(t);
    for (const w of workflows) this.workflows.delete(w);
    if (counters) this.countersDirty = false;
    return this.pending;
  }

  load(retainFinished: number): LoadedState {
    for (const row of this.db.prepare('SELECT name, value FROM swarm_counters').all() as Row[]) {
      this.counters.set(str(row, 'name') as CounterKind, num(row, 'value'));
    }
    const swarms = (this.db.prepare('SELECT * FROM swarms ORDER BY seq').all() as Row[]).map((row): SwarmRecord => ({
      id: str(row, 'id'),
      seq: num(row, 'seq'),
      name: str(row, 'name'),
      topology: str(row, 'topology') as Topology,
      createdAt: num(row, 'created_at'),
      topologyChangedAt: num(row, 'topology_changed_at'),
    }));
    const agents = (this.db.prepare('SELECT * FROM swarm_agents ORDER BY seq').all() as Row[]).map((row): StoredAgent => ({
      id: str(row, 'id'),
      swarmId: str(row, 'swarm_id'),
      seq: num(row, 'seq'),
      role: str(row, 'role'),
      skills: JSON.parse(str(row, 'skills')) as string[],
      status: str(row, 'status') as StoredAgent['status'],
      load: num(row, 'load'),
      loadAt: num(row, 'load_at'),
      fragility: num(row, 'fragility'),
    }));
    const active = (this.db.prepare(`SELECT * FROM tasks WHERE state IN ${ACTIVE_STATES} ORDER BY seq`).all() as Row[]).map(toTaskRecord);
    const finished = (this.db.prepare('SELECT * FROM tasks WHERE finished_at IS NOT NULL ORDER BY finished_at DESC, seq DESC LIMIT ?').all(retainFinished) as Row[])
      .map(toTaskRecord)
      .reverse();
    const workflows = [
      ...(this.db.prepare('SELECT * FROM workflows WHERE finished_at IS NOT NULL ORDER BY finished_at DESC LIMIT ?').all(retainFinished) as Row[]).reverse(),
      ...(this.db.prepare("SELECT * FROM workflows WHERE state = 'running' ORDER BY seq").all() as Row[]),
    ].map(toWorkflow);
    return { swarms, agents, active, finished, workflows };
  }

  /** A task no longer held in memory (finished long ago). */
  loadTask(id: string): TaskRecord | null {
    if (this.pending) this.flush();
    const row = this.stmt.taskById.get(id) as Row | undefined;
    return row ? toTaskRecord(row) : null;
  }

  loadWorkflow(id: string): WorkflowState | null {
    if (this.pending) this.flush();
    const row = this.stmt.workflowById.get(id) as Row | undefined;
    return row ? toWorkflow(row) : null;
  }

  private schedule(): void {
    if (this.abandoned) return;
    if (this.timer === undefined) this.timer = this.realClock.setTimeout(() => this.groupCommit(), this.flushIntervalMs);
  }

  /**
   * The periodic commit of simulated transitions skips the fsync (WAL with
   * synchronous=NORMAL): the commit still reaches the OS, so it survives the
   * process being killed, and the next command's synced commit makes it safe
   * against power loss too. A sync here would block the event loop for the
   * disk's flush latency many times a second. The connection's setting is
   * restored before anything else can run on it.
   */
  private groupCommit(): void {
    this.timer = undefined;
    if (!this.pending) return;
    let more = false;
    try {
      more = unsynced(this.db, () => this.write(GROUP_ROWS));
    } catch (error) {
      this.onError(error);
      this.schedule();
    }
    // A large backlog goes out in several short transactions, yielding to the event loop in between.
    if (more) this.timer = this.realClock.setTimeout(() => this.groupCommit(), 0);
  }
}
