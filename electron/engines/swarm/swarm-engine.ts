import type { CommandArgs } from '../../../shared/protocol/command-table';
import { ProtocolError } from '../../../shared/protocol/errors';
import type { Swarm, Task, Workflow } from '../../../shared/protocol/models';
import { defaultsOf, staticSettings, type SettingsSource, type SwarmsSettings } from '../config/schemas';
import { DEFAULT_MIN_FREE_BYTES, diskSpaceProbe } from '../../store/disk-space';
import { diskFullError, storageError } from '../../store/storage-error';
import type { Engine, EngineContext } from '../context';
import { Roster } from './agents';
import { analyzeSwarm, type SwarmAnalysis } from './swarm-analysis';
import { EfficiencyMonitor, newMeter, systemEfficiency } from './efficiency';
import { Faults } from './faults';
import { proposeTopology } from './topology-optimizer';
import { Persistence, type TaskRecord } from './persistence';
import { Scheduler } from './scheduler';
import { fitOf } from './skills';
import type { AgentState, AgentStatus, SwarmState, TaskPriority, TaskState, World } from './state';
import { normalizeRequirements, TaskRunner } from './task-runner';
import { Timeline } from './timeline';
import { swarmView, taskView, workflowView } from './views';
import { WorkflowRunner } from './workflow-runner';

export interface SwarmEngineOptions {
  /** Live `swarms` settings (max agents, failure rate, optimiser switch); without it, the defaults and `maxAgentsPerSwarm`. */
  settings?: SettingsSource<SwarmsSettings>;
  maxAgentsPerSwarm?: number;
  /** False: no spontaneous agent failures, efficiency reports or topology changes (tests that want quiet). Default true. */
  periodic?: boolean;
  /** Mean simulated time a failed or offline agent needs to come back. Default 20 s. */
  recoveryMs?: number;
  /** Chance that a task attempt fails when it ends. Default 0.02. */
  taskFailureRate?: number;
  /** Simulated time between swarm:efficiency reports. Default 10 s. */
  efficiencyIntervalMs?: number;
  /** Real time simulated transitions may wait before they are group-committed. Default 25 ms. */
  flushIntervalMs?: number;
  /** Runs a task gets when server stops keep interrupting it; then it ends as failed. Default 3. */
  taskAttempts?: number;
  /** Finished tasks (and, separately, workflows) kept in memory for reads; older ones are read from the store. Default 2000. */
  retainFinished?: number;
  /** Free bytes the store's file system must have before a command changes anything (0: do not look). Default 1 MiB. */
  minFreeBytes?: number;
}

export interface TaskFilter {
  state?: Task['state'] | Task['state'][];
  priority?: TaskPriority | TaskPriority[];
  swarmId?: string;
  workflowId?: string;
  /** Newest first; default 1000. */
  limit?: number;
}

/** Figures for system:status / system:metrics. `active`, `agents` and `efficiency` match the system engine's SwarmStats. */
export interface SwarmEngineStats {
  active: number;
  agents: number;
  /** Coordination efficiency 0–1 over the last minute (system:metrics swarmCoordination.efficiency). */
  efficiency: number;
  agentsByStatus: Record<AgentStatus, number>;
  tasks: { queued: number; running: number; failedLastHour: number };
  workflows: { running: number };
}

export const DEFAULT_TASK_ATTEMPTS = 3;

const invalid = (path: string, message: string): ProtocolError => new ProtocolError('invalid_argument', message, [{ path, message }]);
const notFound = (what: string, id: string): ProtocolError => new ProtocolError('not_found', `${what} ${id} not found`);
type Limit = 'maxSwarms' | 'maxAgents' | 'maxOpenTasks' | 'maxRunningWorkflows';
/** Refuses, changing nothing, a command that would take the engine past one of its `swarms` limits. */
function withinLimit(settings: SwarmsSettings, setting: Limit, what: string, held: number, adding: number): void {
  const limit = settings[setting];
  // Adding nothing always passes: a limit lowered below what is held must not block scaling down.
  if (adding === 0 || held + adding <= limit) return;
  throw new ProtocolError('conflict', `the engine holds ${held} ${what}; ${adding} more would pass swarms.${setting} (${limit}): remove some or raise the limit`, {
    setting: `swarms.${setting}`,
    limit,
    held,
  });
}
const asList = <T>(v: T | T[] | undefined): T[] | undefined => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);

/**
 * The simulated swarm, task and workflow engine.
 * Deterministic for a seed: randomness comes from ctx.random and time from
 * ctx.clock only. Every mutating method validates first (a refusal changes
 * nothing), applies the change, and returns only after it is committed to the
 * store together with the events it caused; creates commit their new record
 * before the engine acts on it, so a store that cannot write (a full disk)
 * leaves no trace of them. Simulated transitions in between are
 * group-committed (persistence.ts).
 * On start, tasks that were assigned or running when the process died are
 * announced with task:interrupted and re-queued (state 'queued', queueReason
 * says so) until `taskAttempts` runs were cut short, then they fail; workflows carry on.
 */
export class SwarmEngine implements Engine {
  private readonly world: World = {
    swarms: new Map(),
    agents: new Map(),
    tasks: new Map(),
    finished: new Map(),
    workflows: new Map(),
    finishedWorkflows: new Map(),
  };
  private readonly settings: SettingsSource<SwarmsSettings>;
  private readonly periodic: boolean;
  private readonly retainFinished: number;
  private readonly timeline: Timeline;
  private readonly persist: Persistence;
  private readonly scheduler: Scheduler;
  private readonly roster: Roster;
  private readonly runner: TaskRunner;
  private readonly workflows: WorkflowRunner;
  private readonly faults: Faults;
  private readonly monitor: EfficiencyMonitor;
  private state: 'new' | 'running' | 'stopped' | 'halted' = 'new';
  /** Why the engine halted: a change it had applied in memory could not be saved. */
  private haltReason = '';
  private readonly hasRoom: () => boolean;
  private unsubscribe: (() => void) | undefined;
  /** Simulated moments shown as the wall-clock time they happened (they differ at --sim-speed ≠ 1). */
  private readonly wall = (simTime: number): number => this.ctx.clock.toWall(simTime);

  constructor(
    private readonly ctx: EngineContext,
    options: SwarmEngineOptions = {},
  ) {
    this.settings = options.settings ?? staticSettings({ ...defaultsOf('swarms'), ...(options.maxAgentsPerSwarm ? { maxAgentsPerSwarm: options.maxAgentsPerSwarm } : {}) });
    this.periodic = options.periodic ?? true;
    this.retainFinished = options.retainFinished ?? 2000;
    this.hasRoom = diskSpaceProbe(ctx.db, options.minFreeBytes ?? DEFAULT_MIN_FREE_BYTES);
    const log = (what: string) => (err: unknown) => ctx.log.error({ err }, what);
    const random = ctx.random.fork('swarm');
    this.timeline = new Timeline(ctx.clock, log('swarm simulation step failed'));
    this.persist = new Persistence(ctx.db, ctx.realClock, options.flushIntervalMs ?? 25, log('swarm state could not be saved'), (write) => ctx.bus.transaction(ctx.db, write));
    this.scheduler = new Scheduler(this.world);
    this.roster = new Roster(this.world, ctx.bus, this.persist, this.scheduler.pool, this.timeline, random);
    this.runner = new TaskRunner(this.world, ctx.bus, this.timeline, this.scheduler, this.roster, this.persist, random, {
      taskFailureRate: options.taskFailureRate ?? 0.02,
      retainFinished: this.retainFinished,
      taskAttempts: options.taskAttempts ?? DEFAULT_TASK_ATTEMPTS,
    });
    this.workflows = new WorkflowRunner(this.world, ctx.bus, this.persist, this.runner, this.retainFinished);
    this.runner.onFinished = (task) => this.workflows.taskFinished(task, this.timeline.now());
    const recoveryMs = options.recoveryMs ?? 20_000;
    this.faults = new Faults(this.timeline, this.roster, this.runner, random, () => ({ failureRate: this.settings.get().failureRate, recoveryMs }));
    this.monitor = new EfficiencyMonitor(this.world, ctx.bus, this.timeline, this.scheduler.queue, options.efficiencyIntervalMs ?? 10_000, (swarm, now) => this.review(swarm, now));
  }

  start(): void {
    if (this.state === 'stopped') throw new Error('a stopped SwarmEngine cannot be restarted; create a new one');
    if (this.state === 'running') return;
    const now = this.ctx.clock.now();
    const loaded = this.persist.load(this.retainFinished);
    for (const s of loaded.swarms) {
      this.world.swarms.set(s.id, { ...s, agents: new Map(), roles: new Map(), hubFreeAt: now, meter: newMeter(now), nextFault: null, nextReport: null });
    }
    for (const a of loaded.agents) {
      const swarm = this.world.swarms.get(a.swarmId);
      if (swarm) this.roster.restore(swarm, a, now);
    }
    for (const r of loaded.finished) this.world.finished.set(r.id, revive(r));
    for (const wf of loaded.workflows) (wf.state === 'running' ? this.world.workflows : this.world.finishedWorkflows).set(wf.id, wf);
    this.state = 'running';
    this.timeline.start();
    const interrupted: string[] = [];
    for (const task of loaded.active.map(revive)) {
      if (task.state === 'queued') this.runner.restore(task);
      else {
        this.runner.interrupt(task, now);
        interrupted.push(task.id);
      }
    }
    if (interrupted.length > 0) {
      this.ctx.log.warn(
        { count: interrupted.length, tasks: interrupted.slice(0, 20) },
        'tasks running at the last shutdown were interrupted (re-queued, or failed past their attempts)',
      );
    }
    for (const agent of this.world.agents.values()) {
      if (agent.status === 'failed' || agent.status === 'offline') this.faults.recoverLater(agent);
      else this.runner.release(agent, now);
    }
    for (const wf of [...this.world.workflows.values()]) this.workflows.resume(wf, (id) => this.findTask(id), now);
    if (this.periodic) {
      for (const swarm of this.world.swarms.values()) this.faults.schedule(swarm);
      this.monitor.start();
      this.unsubscribe = this.settings.subscribe(() => {
        for (const swarm of this.world.swarms.values()) this.faults.schedule(swarm);
      });
    }
    this.persist.flush();
    this.ctx.log.info(
      { swarms: this.world.swarms.size, agents: this.world.agents.size, tasks: this.world.tasks.size, interrupted: interrupted.length, workflows: this.world.workflows.size },
      'swarm engine started',
    );
  }

  stop(): void {
    if (this.state !== 'running') return;
    this.state = 'stopped';
    this.quiesce();
    this.persist.flush();
  }

  createSwarm(args: CommandArgs<'swarm:create'>): Swarm {
    return this.create(
      (now) => {
        const roles = typeof args.agents === 'number' ? [{ role: 'generalist', count: args.agents }] : args.agents.map((r) => ({ role: r.role.trim(), count: r.count }));
        const total = roles.reduce((sum, r) => sum + r.count, 0);
        const settings = this.settings.get();
        const max = settings.maxAgentsPerSwarm;
        if (total > max) throw invalid('agents', `a swarm may have at most ${max} agents; ${total} were asked for`);
        withinLimit(settings, 'maxSwarms', 'swarms', this.world.swarms.size, 1);
        withinLimit(settings, 'maxAgents', 'agents', this.world.agents.size, total);
        const seq = this.persist.next('swarm');
        const swarm: SwarmState = {
          id: `swarm-${seq}`,
          seq,
          name: args.name,
          topology: args.topology,
          createdAt: now,
          topologyChangedAt: now,
          agents: new Map(),
          roles: new Map(),
          hubFreeAt: now,
          meter: newMeter(now),
          nextFault: null,
          nextReport: null,
        };
        this.world.swarms.set(swarm.id, swarm);
        this.persist.swarm(swarm);
        for (const { role, count } of roles) for (let i = 0; i < count; i++) this.roster.add(swarm, role, now);
        this.ctx.bus.publish('swarm:created', { ...swarmView(swarm, now, this.wall), swarmId: swarm.id, agentCount: swarm.agents.size });
        return swarm;
      },
      (swarm) => {
        for (const agent of swarm.agents.values()) this.roster.discard(agent);
        this.world.swarms.delete(swarm.id);
        this.persist.forget({ swarms: [swarm] });
      },
      (swarm, now) => {
        // Queued tasks this swarm can serve start right away.
        for (const agent of swarm.agents.values()) this.runner.release(agent, now);
        if (this.periodic) {
          this.faults.schedule(swarm);
          this.monitor.track(swarm);
        }
        return swarmView(swarm, now, this.wall);
      },
    );
  }

  deleteSwarm(swarmId: string): Swarm {
    return this.command((now) => {
      const swarm = this.swarmOr404(swarmId);
      const view = swarmView(swarm, now, this.wall);
      const reason = `swarm ${swarm.id} was deleted`;
      this.faults.stop(swarm);
      this.monitor.untrack(swarm);
      this.world.swarms.delete(swarm.id);
      this.ctx.bus.publish('swarm:deleted', { swarmId: swarm.id, name: swarm.name, agents: swarm.agents.size });
      this.removeAgents([...swarm.agents.values()], reason, now);
      for (const task of [...this.scheduler.queue.tasks()]) if (task.requestedSwarmId === swarm.id) this.runner.cancel(task, reason, now);
      // Cancelling a step's task has failed its workflow; this catches workflows bound to the swarm with no task in flight.
      for (const wf of [...this.world.workflows.values()]) if (wf.swarmId === swarm.id) this.workflows.fail(wf, reason, now);
      this.persist.dropSwarm(swarm);
      return view;
    });
  }

  scaleSwarm(args: CommandArgs<'swarm:scale'>): Swarm {
    return this.command((now) => {
      const swarm = this.swarmOr404(args.swarmId);
      const role = args.role.trim();
      const group = swarm.roles.get(role);
      const from = group?.agents.size ?? 0;
      const settings = this.settings.get();
      const max = settings.maxAgentsPerSwarm;
      const total = swarm.agents.size - from + args.count;
      if (total > max) throw invalid('count', `a swarm may have at most ${max} agents; scaling '${role}' to ${args.count} would make ${total}`);
      withinLimit(settings, 'maxAgents', 'agents', this.world.agents.size, Math.max(0, args.count - from));
      const added: AgentState[] = [];
      for (let i = from; i < args.count; i++) added.push(this.roster.add(swarm, role, now));
      // Scale down the least useful first: failed, then offline, then idle, then busy; newest first within each.
      const rank: Record<AgentStatus, number> = { failed: 0, offline: 1, idle: 2, busy: 3 };
      const removed = [...(group?.agents ?? [])].sort((a, b) => rank[a.status] - rank[b.status] || b.seq - a.seq).slice(0, Math.max(0, from - args.count));
      this.ctx.bus.publish('swarm:scaled', { swarmId: swarm.id, role, from, to: args.count, agents: total });
      this.removeAgents(removed, `agent removed by scaling '${role}' of swarm ${swarm.id} to ${args.count}`, now);
      for (const agent of added) this.runner.release(agent, now);
      if (this.periodic) this.faults.schedule(swarm);
      return swarmView(swarm, now, this.wall);
    });
  }

  getSwarm(swarmId: string): Swarm {
    return this.read((now) => swarmView(this.swarmOr404(swarmId), now, this.wall));
  }

  listSwarms(): Swarm[] {
    return this.read((now) => [...this.world.swarms.values()].map((s) => swarmView(s, now, this.wall)));
  }

  analyzeSwarm(args: CommandArgs<'swarm:analyze'>): SwarmAnalysis {
    return this.read((now) => analyzeSwarm(this.swarmOr404(args.swarmId), this.scheduler.queue, now, args));
  }

  createTask(args: CommandArgs<'task:create'>): Task {
    return this.create(
      (now) => {
        if (args.swarmId !== undefined && !this.world.swarms.has(args.swarmId)) throw notFound('swarm', args.swarmId);
        withinLimit(this.settings.get(), 'maxOpenTasks', 'queued or running tasks', this.world.tasks.size, 1);
        const requirements = normalizeRequirements(args.requirements);
        if (args.assignee !== 'auto') {
          const agent = this.world.agents.get(args.assignee);
          if (!agent) throw notFound('agent', args.assignee);
          if (args.swarmId !== undefined && agent.swarm.id !== args.swarmId) {
            throw invalid('assignee', `agent ${agent.id} belongs to swarm ${agent.swarm.id}, not ${args.swarmId}`);
          }
          if (fitOf(agent.skillSet, requirements) === null) {
            throw invalid('requirements', `agent ${agent.id} (${agent.role}) lacks ${requirements.filter((r) => !agent.skillSet.has(r)).join(', ')}`);
          }
        }
        return this.runner.build(
          {
            title: args.title,
            description: args.description,
            priority: args.priority,
            assignee: args.assignee,
            requirements,
            estimatedDuration: args.estimatedDuration,
            swarmId: args.swarmId,
          },
          now,
        );
      },
      (task) => this.persist.forget({ tasks: [task] }),
      (task, now) => {
        this.runner.admit(task, now);
        return taskView(task, this.wall);
      },
    );
  }

  cancelTask(taskId: string): Task {
    return this.command((now) => {
      const task = this.world.tasks.get(taskId);
      if (!task) {
        const done = this.findTask(taskId);
        if (done) throw new ProtocolError('conflict', `task ${taskId} is already ${done.state}`);
        throw notFound('task', taskId);
      }
      this.runner.cancel(task, 'cancelled on request', now);
      return taskView(task, this.wall);
    });
  }

  getTask(taskId: string): Task {
    return this.read(() => {
      const task = this.findTask(taskId);
      if (!task) throw notFound('task', taskId);
      return taskView(task, this.wall);
    });
  }

  /** Unfinished tasks and the recently finished ones still in memory, newest first. */
  listTasks(filter: TaskFilter = {}): Task[] {
    return this.read(() => {
      const states = asList(filter.state);
      const priorities = asList(filter.priority);
      const out: Task[] = [];
      const all = [...this.world.tasks.values(), ...this.world.finished.values()].sort((a, b) => b.seq - a.seq);
      for (const t of all) {
        if (out.length >= (filter.limit ?? 1000)) break;
        if (states && !states.includes(t.state)) continue;
        if (priorities && !priorities.includes(t.priority)) continue;
        if (filter.swarmId !== undefined && t.swarmId !== filter.swarmId) continue;
        if (filter.workflowId !== undefined && t.workflowId !== filter.workflowId) continue;
        out.push(taskView(t, this.wall));
      }
      return out;
    });
  }

  createWorkflow(args: CommandArgs<'workflow:create'>): Workflow {
    return this.create(
      (now) => {
        if (args.swarmId !== undefined && !this.world.swarms.has(args.swarmId)) throw notFound('swarm', args.swarmId);
        withinLimit(this.settings.get(), 'maxRunningWorkflows', 'running workflows', this.world.workflows.size, 1);
        return this.workflows.build(args, now);
      },
      (wf) => this.persist.forget({ workflows: [wf] }),
      (wf, now) => {
        this.workflows.admit(wf, now);
        return workflowView(wf, this.wall);
      },
    );
  }

  getWorkflow(workflowId: string): Workflow {
    return this.read(() => {
      const wf = this.world.workflows.get(workflowId) ?? this.world.finishedWorkflows.get(workflowId) ?? this.persist.loadWorkflow(workflowId);
      if (!wf) throw notFound('workflow', workflowId);
      return workflowView(wf, this.wall);
    });
  }

  /** Running workflows and the recently finished ones, newest first. */
  listWorkflows(): Workflow[] {
    return this.read(() => [...this.world.workflows.values(), ...this.world.finishedWorkflows.values()].sort((a, b) => b.seq - a.seq).map((wf) => workflowView(wf, this.wall)));
  }

  stats(): SwarmEngineStats {
    return this.read((now) => {
      const agentsByStatus: Record<AgentStatus, number> = { idle: 0, busy: 0, offline: 0, failed: 0 };
      for (const swarm of this.world.swarms.values()) {
        for (const group of swarm.roles.values()) for (const status of Object.keys(agentsByStatus) as AgentStatus[]) agentsByStatus[status] += group.counts[status];
      }
      const queued = this.scheduler.queue.size;
      return {
        active: this.world.swarms.size,
        agents: this.world.agents.size,
        efficiency: systemEfficiency(this.world, now),
        agentsByStatus,
        tasks: { queued, running: this.world.tasks.size - queued, failedLastHour: this.runner.failedInLastHour(now) },
        workflows: { running: this.world.workflows.size },
      };
    });
  }

  /** 0–1, for system:metrics swarmCoordination.efficiency. */
  coordinationEfficiency(): number {
    return this.read((now) => systemEfficiency(this.world, now));
  }

  /**
   * Runs a mutating command at the current simulated time and commits it, with
   * the events it caused, before returning. A store that cannot write refuses the
   * command before it changes anything: what is pending is committed first, and a
   * full disk is refused up front. Should the commit still fail, the change is
   * already in memory and cannot be taken back piecemeal (it cascades through
   * agents, the queue and workflows): its events are dropped and the engine
   * halts, never writing or showing that state; a restart reloads the last
   * committed one.
   */
  private command<T>(fn: (now: number) => T): T {
    return this.read((now) => {
      this.commitOrRefuse(this.ctx.bus.mark());
      if (!this.hasRoom()) throw diskFullError();
      const mark = this.ctx.bus.mark();
      const result = fn(now);
      try {
        this.commitOrRefuse(mark);
      } catch (error) {
        this.halt(error);
        throw error;
      }
      return result;
    });
  }

  private halt(error: unknown): void {
    this.state = 'halted';
    this.haltReason = `the swarm engine halted: a change could not be saved (${error instanceof Error ? error.message : String(error)}); restart the server to reload the last saved state`;
    this.quiesce();
    this.persist.abandon();
  }

  private quiesce(): void {
    this.unsubscribe?.();
    this.monitor.stop();
    this.timeline.stop();
  }

  /**
   * A create: the new record and the events announcing it commit together
   * before the engine acts on it (`admit`); if that commit fails, `undo` takes it
   * back out of memory, its ids are not used up and nothing of it is ever
   * announced, listed or written later.
   */
  private create<E, R>(build: (now: number) => E, undo: (entity: E) => void, admit: (entity: E, now: number) => R): R {
    return this.read((now) => {
      const mark = this.ctx.bus.mark();
      const counters = this.persist.counterSnapshot();
      const entity = build(now);
      try {
        this.commitOrRefuse(mark);
      } catch (error) {
        undo(entity);
        this.persist.restoreCounters(counters);
        throw error;
      }
      const result = admit(entity, now);
      try {
        this.persist.flush();
      } catch (error) {
        // The create itself is durable; what admitting it set off is retried by the group commit.
        this.ctx.log.error({ err: error }, 'swarm state could not be saved');
      }
      return result;
    });
  }

  private commitOrRefuse(mark: number): void {
    try {
      this.persist.flush();
    } catch (error) {
      this.ctx.bus.discardSince(mark);
      this.ctx.log.error({ err: error }, 'swarm command could not be saved');
      throw storageError(error) ?? new ProtocolError('unavailable', `the change could not be saved: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private read<T>(fn: (now: number) => T): T {
    if (this.state === 'halted') throw new ProtocolError('unavailable', this.haltReason);
    if (this.state !== 'running') throw new ProtocolError('unavailable', 'the swarm engine is not running');
    this.timeline.catchUp();
    return fn(this.timeline.now());
  }

  private swarmOr404(swarmId: string): SwarmState {
    const swarm = this.world.swarms.get(swarmId);
    if (!swarm) throw notFound('swarm', swarmId);
    return swarm;
  }

  private findTask(taskId: string): TaskState | null {
    const task = this.world.tasks.get(taskId) ?? this.world.finished.get(taskId);
    if (task) return task;
    const record = this.persist.loadTask(taskId);
    return record ? revive(record) : null;
  }

  /**
   * Takes agents out of their swarm. Their tasks go back to the queue, except
   * tasks bound to them or to a deleted swarm, which are cancelled; queued tasks
   * pinned to a removed agent are cancelled too.
   */
  private removeAgents(agents: AgentState[], reason: string, now: number): void {
    for (const agent of agents) this.roster.remove(agent, now);
    for (const agent of agents) {
      const task = agent.task;
      if (!task) continue;
      if (task.requestedSwarmId !== null && !this.world.swarms.has(task.requestedSwarmId)) this.runner.cancel(task, reason, now);
      else this.runner.evict(agent, reason, now, true);
    }
    const gone = new Set(agents.map((a) => a.id));
    for (const task of [...this.scheduler.queue.tasks()]) if (gone.has(task.requested)) this.runner.cancel(task, `${reason}; the task was assigned to that agent`, now);
  }

  private review(swarm: SwarmState, now: number): void {
    if (!this.settings.get().optimizerEnabled) return;
    const change = proposeTopology(swarm, now);
    if (!change) return;
    swarm.topology = change.to;
    swarm.topologyChangedAt = now;
    swarm.hubFreeAt = now;
    this.persist.swarm(swarm);
    this.ctx.bus.publish('swarm:topology:changed', {
      swarmId: swarm.id,
      from: change.from,
      to: change.to,
      reason: change.reason,
      measuredCostMs: change.measuredMs,
      predictedCostMs: change.predictedMs,
      agents: swarm.agents.size,
    });
  }
}

function revive(record: TaskRecord): TaskState {
  return { ...record, agent: null, timer: null, queueKey: null };
}
