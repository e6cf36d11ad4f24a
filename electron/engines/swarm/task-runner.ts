import type { EventBus } from '../bus';
import type { Random } from '../random';
import type { Roster } from './agents';
import type { Persistence } from './persistence';
import type { Scheduler } from './scheduler';
import type { AgentState, TaskPriority, TaskState, World } from './state';
import type { Timeline } from './timeline';
import { coordinate } from './topology';

/** Progress is reported at these points of a task's run; the stage follows from the percentage. */
const TICKS = [20, 40, 60, 80] as const;
const STAGES = [
  { until: 25, name: 'analysing', message: 'analysing the requirements' },
  { until: 80, name: 'implementing', message: 'implementing the change' },
  { until: 100, name: 'verifying', message: 'verifying the result' },
] as const;
const FAILURE_CAUSES = ['checks failed', 'a dependency could not be resolved', 'the agent ran out of its time budget'] as const;

export const DEFAULT_DURATION_MS = 5_000;

function stageAt(percentage: number): (typeof STAGES)[number] {
  return STAGES.find((s) => percentage < s.until) ?? STAGES[STAGES.length - 1]!;
}

export interface TaskSpec {
  title: string;
  description?: string | undefined;
  priority: TaskPriority;
  assignee: string;
  requirements: string[];
  estimatedDuration?: number | undefined;
  swarmId?: string | undefined;
  workflowId?: string;
  stepId?: string;
}

/** Requirements match case-insensitively; a sorted, de-duplicated list also keys the queue classes. */
export function normalizeRequirements(requirements: readonly string[] | undefined): string[] {
  return [...new Set((requirements ?? []).map((r) => r.trim().toLowerCase()))].sort();
}

/** The fields every task event carries so subscriptions can filter on them (priority, swarmIds, workflowIds). */
export function taskRef(task: TaskState): { priority: TaskPriority; swarmId?: string; workflowId?: string; stepId?: string } {
  return {
    priority: task.priority,
    ...(task.swarmId ? { swarmId: task.swarmId } : {}),
    ...(task.workflowId ? { workflowId: task.workflowId } : {}),
    ...(task.stepId ? { stepId: task.stepId } : {}),
  };
}

/**
 * A task's life: queued → assigned (coordination delay from the swarm's
 * topology) → running with progress ticks → completed, failed or cancelled.
 * A task taken off an agent goes back to the queue with its place kept.
 */
export class TaskRunner {
  private readonly coordinationRandom: Random;
  private readonly outcomeRandom: Random;
  private readonly failedAt: number[] = [];
  /** Hears every task that reaches an end state; workflows advance on it. */
  onFinished: (task: TaskState) => void = () => {};

  constructor(
    private readonly world: World,
    private readonly bus: EventBus,
    private readonly timeline: Timeline,
    private readonly scheduler: Scheduler,
    private readonly roster: Roster,
    private readonly persist: Persistence,
    random: Random,
    private readonly options: { taskFailureRate: number; retainFinished: number; taskAttempts: number },
  ) {
    this.coordinationRandom = random.fork('coordination');
    this.outcomeRandom = random.fork('outcomes');
  }

  /** Creates a task, announces it, and assigns or queues it. */
  create(spec: TaskSpec, now: number): TaskState {
    const task = this.build(spec, now);
    this.admit(task, now);
    return task;
  }

  /**
   * A new task, marked for writing and announced, but not yet known to the
   * engine: a command commits it first and only then admits it, so a refused
   * create leaves nothing behind.
   */
  build(spec: TaskSpec, now: number): TaskState {
    const seq = this.persist.next('task');
    const task: TaskState = {
      id: `task-${seq}`,
      seq,
      title: spec.title,
      description: spec.description,
      priority: spec.priority,
      state: 'queued',
      requested: spec.assignee,
      requirements: spec.requirements,
      estimatedDuration: spec.estimatedDuration ?? DEFAULT_DURATION_MS,
      requestedSwarmId: spec.swarmId ?? null,
      swarmId: spec.swarmId ?? null,
      assignee: null,
      workflowId: spec.workflowId ?? null,
      stepId: spec.stepId ?? null,
      progress: 0,
      stage: null,
      queueReason: null,
      createdAt: now,
      queuedAt: now,
      startedAt: null,
      finishedAt: null,
      result: undefined,
      error: null,
      attempts: 0,
      interruptions: 0,
      agent: null,
      timer: null,
      queueKey: null,
    };
    this.persist.task(task);
    this.bus.publish('task:created', {
      id: task.id,
      title: task.title,
      ...(task.description === undefined ? {} : { description: task.description }),
      requirements: task.requirements,
      estimatedDuration: task.estimatedDuration,
      requested: task.requested,
      ...taskRef(task),
    });
    return task;
  }

  /** Makes a built task live: assigned at once or queued. */
  admit(task: TaskState, now: number): void {
    this.world.tasks.set(task.id, task);
    const agent = this.scheduler.agentFor(task);
    if (agent) this.assign(task, agent, now);
    else this.enqueue(task, this.scheduler.reasonFor(task));
  }

  /** Puts a task loaded from the store back in the queue, silently: it was announced before the restart. */
  restore(task: TaskState): void {
    this.world.tasks.set(task.id, task);
    this.scheduler.queue.add(task);
  }

  /**
   * A task that was running when the engine stopped unexpectedly: announce the
   * interruption and queue it again, or, once restarts have cut `taskAttempts`
   * runs short, give up on it as failed.
   */
  interrupt(task: TaskState, now: number): void {
    const wasOn = task.assignee;
    task.state = 'interrupted';
    task.interruptions++;
    this.world.tasks.set(task.id, task);
    const attempts = this.options.taskAttempts;
    this.bus.publish('task:interrupted', {
      id: task.id,
      severity: 'warning',
      reason: 'the engine stopped while the task was running',
      interruptions: task.interruptions,
      ...(wasOn ? { assignee: wasOn } : {}),
      ...taskRef(task),
    });
    if (task.interruptions < attempts) {
      this.reset(task, now);
      this.enqueue(task, `interrupted by a restart (${task.interruptions} of ${attempts} attempts); re-queued`);
      return;
    }
    task.state = 'failed';
    task.error = `interrupted ${task.interruptions} times by a server stop while it ran; gave up after ${attempts} attempts`;
    task.finishedAt = now;
    this.failedAt.push(now);
    this.bus.publish('task:failed', {
      id: task.id,
      reason: task.error,
      severity: 'warning',
      interruptions: task.interruptions,
      ...(wasOn ? { assignee: wasOn } : {}),
      ...taskRef(task),
    });
    this.retire(task);
    this.onFinished(task);
  }

  /**
   * Takes a task off an agent that failed, went offline or left the swarm. A task
   * pinned to that agent cannot move and is cancelled when the agent is gone for good.
   */
  evict(agent: AgentState, reason: string, now: number, gone: boolean): void {
    const task = agent.task;
    if (!task) return;
    agent.swarm.meter.current.requeued++;
    if (gone && task.requested === agent.id) {
      this.cancel(task, `${reason}; the task was assigned to that agent`, now);
      return;
    }
    this.timeline.cancel(task.timer);
    task.timer = null;
    task.agent = null;
    agent.task = null;
    this.reset(task, now);
    const next = this.scheduler.agentFor(task);
    this.bus.publish('task:queued', { id: task.id, reason: `${reason}; re-queued`, requeued: true, attempts: task.attempts, ...taskRef(task) });
    if (next) this.assign(task, next, now);
    else this.enqueue(task, `${reason}; ${this.scheduler.reasonFor(task)}`, false);
  }

  cancel(task: TaskState, reason: string, now: number): void {
    this.scheduler.queue.remove(task);
    this.timeline.cancel(task.timer);
    task.timer = null;
    const agent = task.agent;
    if (agent) agent.task = null;
    task.agent = null;
    task.state = 'cancelled';
    task.error = reason;
    task.finishedAt = now;
    this.bus.publish('task:cancelled', { id: task.id, reason, ...(task.assignee ? { assignee: task.assignee } : {}), ...taskRef(task) });
    this.retire(task);
    // An agent that is being removed (scale-down, swarm deletion) takes no further work.
    if (agent && this.world.agents.has(agent.id)) this.release(agent, now);
    this.onFinished(task);
  }

  /** An agent with nothing to do takes the first queued task it may, or turns idle. */
  release(agent: AgentState, now: number): void {
    if (agent.status !== 'busy' && agent.status !== 'idle') return;
    const next = this.scheduler.taskFor(agent);
    if (next) this.assign(next, agent, now);
    else this.roster.setStatus(agent, 'idle', now);
  }

  /** Failed tasks in the last hour of simulated time. */
  failedInLastHour(now: number): number {
    while (this.failedAt.length > 0 && (this.failedAt[0] as number) < now - 3_600_000) this.failedAt.shift();
    return this.failedAt.length;
  }

  private enqueue(task: TaskState, reason: string, announce = true): void {
    task.state = 'queued';
    task.queueReason = reason;
    this.scheduler.queue.add(task);
    this.persist.task(task);
    if (announce) this.bus.publish('task:queued', { id: task.id, reason, ...taskRef(task) });
  }

  private reset(task: TaskState, now: number): void {
    task.state = 'queued';
    task.assignee = null;
    task.swarmId = task.requestedSwarmId;
    task.progress = 0;
    task.stage = null;
    task.startedAt = null;
    task.queuedAt = now;
    this.persist.task(task);
  }

  private assign(task: TaskState, agent: AgentState, now: number): void {
    this.scheduler.queue.remove(task);
    const swarm = agent.swarm;
    const { delayMs, messages } = coordinate(swarm, now, this.coordinationRandom);
    task.state = 'assigned';
    task.agent = agent;
    task.assignee = agent.id;
    task.swarmId = swarm.id;
    task.queueReason = null;
    task.attempts++;
    agent.task = task;
    const c = swarm.meter.current;
    c.assignments++;
    c.coordinationMs += delayMs;
    c.messages += messages;
    c.workMs += task.estimatedDuration;
    this.persist.task(task);
    this.bus.publish('swarm:task:assigned', {
      swarmId: swarm.id,
      taskId: task.id,
      agentId: agent.id,
      waitedMs: now - task.queuedAt,
      coordinationMs: delayMs,
      topology: swarm.topology,
      ...taskRef(task),
    });
    if (agent.status !== 'busy') this.roster.setStatus(agent, 'busy', now, { taskId: task.id });
    task.timer = this.timeline.call(now + delayMs, this.step, task);
  }

  /** The next step of a task on an agent: start, a progress tick, or the end; one long-lived function so steps allocate no closures. */
  private readonly step = (task: TaskState): void => {
    if (!task.agent) return;
    if (task.state === 'assigned') this.start(task, task.agent);
    else if (TICKS.some((p) => p > task.progress)) this.tick(task);
    else this.finish(task, task.agent);
  };

  private start(task: TaskState, agent: AgentState): void {
    const now = this.timeline.now();
    task.state = 'running';
    task.startedAt = now;
    task.stage = STAGES[0].name;
    const c = agent.swarm.meter.current;
    c.started++;
    c.latencyMs += now - task.queuedAt;
    // Not written: 'assigned' and 'running' recover alike (interrupted), so the start is saved with the next transition.
    this.bus.publish('task:started', {
      id: task.id,
      assignee: agent.id,
      estimatedDuration: task.estimatedDuration,
      timeBase: 'simulated',
      etaAt: this.etaAt(task),
      attempt: task.attempts,
      ...taskRef(task),
    });
    this.scheduleNext(task);
  }

  /** When a running task should end, as a wall-clock moment at the current simulation speed. */
  private etaAt(task: TaskState): number {
    return this.timeline.toWall((task.startedAt as number) + task.estimatedDuration);
  }

  /** Schedules the next progress tick after the task's current progress, or its end. */
  private scheduleNext(task: TaskState): void {
    const next = TICKS.find((p) => p > task.progress) ?? 100;
    task.timer = this.timeline.call((task.startedAt as number) + Math.round((task.estimatedDuration * next) / 100), this.step, task);
  }

  private tick(task: TaskState): void {
    const percentage = TICKS.find((p) => p > task.progress) as number;
    const stage = stageAt(percentage);
    task.progress = percentage;
    task.stage = stage.name;
    this.bus.publish('task:progress', {
      taskId: task.id,
      percentage,
      currentStage: stage.name,
      statusMessage: `${stage.message} (${percentage}%)`,
      etaAt: this.etaAt(task),
      ...taskRef(task),
    });
    this.scheduleNext(task);
  }

  private finish(task: TaskState, agent: AgentState): void {
    const now = this.timeline.now();
    const failed = this.outcomeRandom.chance(this.options.taskFailureRate);
    const cause = this.outcomeRandom.pick(FAILURE_CAUSES);
    const swarm = agent.swarm;
    const duration = now - (task.startedAt as number);
    task.timer = null;
    task.agent = null;
    agent.task = null;
    task.finishedAt = now;
    if (failed) {
      task.state = 'failed';
      task.error = `${cause} while ${STAGES[2].name} on ${agent.id}`;
      swarm.meter.current.failed++;
      this.failedAt.push(now);
      this.bus.publish('task:failed', { id: task.id, severity: 'warning', reason: task.error, assignee: agent.id, duration, timeBase: 'simulated', ...taskRef(task) });
    } else {
      task.state = 'completed';
      task.progress = 100;
      task.stage = 'done';
      task.result = { summary: `'${task.title}' completed by ${agent.id}`, agentId: agent.id, swarmId: swarm.id, attempts: task.attempts };
      swarm.meter.current.completed++;
      this.bus.publish('task:completed', { id: task.id, duration, timeBase: 'simulated', result: task.result, assignee: agent.id, ...taskRef(task) });
      this.bus.publish('swarm:task:completed', { swarmId: swarm.id, taskId: task.id, duration, timeBase: 'simulated', assignee: agent.id, priority: task.priority });
    }
    this.retire(task);
    this.release(agent, now);
    this.onFinished(task);
  }

  /** Moves a finished task to the bounded recent list. */
  private retire(task: TaskState): void {
    this.persist.task(task);
    this.world.tasks.delete(task.id);
    this.world.finished.set(task.id, task);
    if (this.world.finished.size > this.options.retainFinished) {
      const oldest = this.world.finished.keys().next().value;
      if (oldest !== undefined) this.world.finished.delete(oldest);
    }
  }
}
