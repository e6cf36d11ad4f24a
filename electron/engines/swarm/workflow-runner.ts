import type { CommandArgs } from '../../../shared/protocol/command-table';
import type { EventBus } from '../bus';
import type { Persistence } from './persistence';
import type { StepState, TaskState, WorkflowState, World } from './state';
import { normalizeRequirements, type TaskRunner } from './task-runner';

/**
 * Runs a workflow's step graph (already checked for cycles, duplicates and
 * unknown dependencies by workflowCreateSchema): a step becomes a task once all
 * the steps it depends on have completed, so independent steps run in
 * parallel. A step that fails or is cancelled fails the workflow; steps not yet
 * finished are then cancelled.
 */
export class WorkflowRunner {
  constructor(
    private readonly world: World,
    private readonly bus: EventBus,
    private readonly persist: Persistence,
    private readonly runner: TaskRunner,
    private readonly retainFinished: number,
  ) {}

  /** A new workflow, marked for writing and announced, not yet running (see TaskRunner.build). */
  build(args: CommandArgs<'workflow:create'>, now: number): WorkflowState {
    const seq = this.persist.next('workflow');
    const wf: WorkflowState = {
      id: `workflow-${seq}`,
      seq,
      name: args.name,
      state: 'running',
      priority: args.priority,
      swarmId: args.swarmId ?? null,
      createdAt: now,
      finishedAt: null,
      error: null,
      steps: args.steps.map((s): StepState => ({
        id: s.id,
        title: s.title,
        dependsOn: [...new Set(s.dependsOn ?? [])],
        requirements: s.requirements === undefined ? undefined : normalizeRequirements(s.requirements),
        estimatedDuration: s.estimatedDuration,
        state: 'pending',
        taskId: null,
      })),
    };
    this.persist.workflow(wf);
    const ref = { priority: wf.priority, ...(wf.swarmId ? { swarmId: wf.swarmId } : {}) };
    this.bus.publish('workflow:created', { id: wf.id, name: wf.name, stepCount: wf.steps.length, ...ref });
    this.bus.publish('workflow:started', { id: wf.id, steps: wf.steps.map((s) => ({ id: s.id, title: s.title, dependsOn: s.dependsOn })), ...ref });
    return wf;
  }

  /** Starts a built workflow's first steps. */
  admit(wf: WorkflowState, now: number): void {
    this.world.workflows.set(wf.id, wf);
    this.advance(wf, now);
  }

  /** A step's task reached an end state. */
  taskFinished(task: TaskState, now: number): void {
    const wf = task.workflowId === null ? undefined : this.world.workflows.get(task.workflowId);
    const step = wf?.steps.find((s) => s.id === task.stepId && s.taskId === task.id);
    if (!wf || !step || step.state !== 'running') return;
    this.persist.workflow(wf);
    if (task.state === 'completed') {
      step.state = 'completed';
      this.bus.publish('workflow:step:completed', {
        workflowId: wf.id,
        stepId: step.id,
        taskId: task.id,
        completedSteps: wf.steps.filter((s) => s.state === 'completed').length,
        totalSteps: wf.steps.length,
        priority: wf.priority,
      });
      this.advance(wf, now);
      return;
    }
    step.state = task.state === 'failed' ? 'failed' : 'cancelled';
    const what = task.state === 'failed' ? 'failed' : 'was cancelled';
    this.fail(wf, `step '${step.id}' ${what}: ${task.error ?? 'no reason given'}`, now);
  }

  /**
   * After a restart: settles steps whose task finished before the crash, then
   * carries on. Steps whose task is still active simply wait for it.
   */
  resume(wf: WorkflowState, lookup: (taskId: string) => TaskState | null, now: number): void {
    for (const step of wf.steps) {
      if (step.state !== 'running' || step.taskId === null) continue;
      const task = lookup(step.taskId);
      if (!task) {
        step.state = 'pending';
        step.taskId = null;
        this.persist.workflow(wf);
      } else if (task.finishedAt !== null) this.taskFinished(task, now);
      if (wf.state !== 'running') return;
    }
    this.advance(wf, now);
  }

  /** Fails a running workflow from outside (its swarm was deleted). */
  fail(wf: WorkflowState, reason: string, now: number): void {
    if (wf.state !== 'running') return;
    wf.state = 'failed';
    wf.error = reason;
    wf.finishedAt = now;
    this.persist.workflow(wf);
    this.bus.publish('workflow:failed', { id: wf.id, severity: 'warning', reason, priority: wf.priority });
    for (const step of wf.steps) {
      if (step.state === 'pending') step.state = 'cancelled';
      if (step.state !== 'running') continue;
      step.state = 'cancelled';
      const task = step.taskId === null ? undefined : this.world.tasks.get(step.taskId);
      if (task) this.runner.cancel(task, `workflow ${wf.id} failed`, now);
    }
    this.retire(wf);
  }

  /** Starts every pending step whose dependencies have all completed; completes the workflow when nothing is left. */
  private advance(wf: WorkflowState, now: number): void {
    const done = new Set(wf.steps.filter((s) => s.state === 'completed').map((s) => s.id));
    if (done.size === wf.steps.length) {
      wf.state = 'completed';
      wf.finishedAt = now;
      this.persist.workflow(wf);
      this.bus.publish('workflow:completed', { id: wf.id, duration: now - wf.createdAt, steps: wf.steps.length, priority: wf.priority });
      this.retire(wf);
      return;
    }
    for (const step of wf.steps) {
      if (wf.state !== 'running') return;
      if (step.state !== 'pending' || !step.dependsOn.every((d) => done.has(d))) continue;
      step.state = 'running';
      this.persist.workflow(wf);
      const task = this.runner.create(
        {
          title: step.title,
          description: `step '${step.id}' of workflow '${wf.name}'`,
          priority: wf.priority,
          assignee: 'auto',
          requirements: step.requirements ?? [],
          estimatedDuration: step.estimatedDuration,
          swarmId: wf.swarmId ?? undefined,
          workflowId: wf.id,
          stepId: step.id,
        },
        now,
      );
      step.taskId = task.id;
    }
  }

  private retire(wf: WorkflowState): void {
    this.world.workflows.delete(wf.id);
    this.world.finishedWorkflows.set(wf.id, wf);
    if (this.world.finishedWorkflows.size > this.retainFinished) {
      const oldest = this.world.finishedWorkflows.keys().next().value;
      if (oldest !== undefined) this.world.finishedWorkflows.delete(oldest);
    }
  }
}
