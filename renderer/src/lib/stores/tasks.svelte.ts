import type { Task, Workflow } from '../../../../shared/protocol/models';
import type { CommandInput } from '../../../../shared/protocol/command-table';
import type { CommandResults } from '../../../../shared/protocol/results';
import { onEvent } from '../server-events';
import type { EventPayload } from '../../../../shared/protocol/events';
import { rest } from '../rest';
import { connection } from './connection.svelte';
import { registerPaletteProvider } from './palette-entries';
import { router } from '../router.svelte';

export type TaskState = Task['state'];
export type StepState = Workflow['steps'][number]['state'];
export const ACTIVE_STATES: TaskState[] = ['queued', 'assigned', 'running', 'interrupted'];
const MAX_FINISHED = 500;
const MAX_WORKFLOWS = 100;

/** One line of a task's timeline as this page saw it. */
export interface TaskMoment {
  at: number;
  event: string;
  text: string;
  tone?: 'ok' | 'crit' | 'warn';
}
const MAX_MOMENTS = 100;
const MAX_TRACKED = 1000;

/** The task as the UI keeps it: the model plus the latest status message. */
export type TaskItem = Task & { statusMessage?: string | null; updatedAt: number };

/** A task first seen through an event that does not carry all of it; the rest comes with a read. */
function blankTask(id: string): TaskItem {
  return {
    id,
    title: id,
    priority: 'medium',
    state: 'queued',
    assignee: null,
    requested: 'auto',
    requirements: [],
    estimatedDuration: 0,
    etaAt: null,
    swarmId: null,
    workflowId: null,
    stepId: null,
    progress: 0,
    stage: null,
    queueReason: null,
    createdAt: Date.now(),
    startedAt: null,
    finishedAt: null,
    stopReason: null,
    statusMessage: null,
    updatedAt: Date.now(),
  };
}

/** Where a task event says the task belongs. */
function placeOf(p: { priority: Task['priority']; swarmId?: string; workflowId?: string; stepId?: string }): Partial<TaskItem> {
  return { priority: p.priority, swarmId: p.swarmId, workflowId: p.workflowId, stepId: p.stepId };
}

type StepEvent = EventPayload<'task:started' | 'task:failed' | 'task:cancelled'>;

class TasksStore {
  byId = $state<Record<string, TaskItem>>({});
  workflows = $state<Record<string, Workflow>>({});
  loadedAt = $state<number | null>(null);
  lastEventAt = $state<number | null>(null);
  error = $state<string | null>(null);
  /** Task id → when this page saw it fail / complete (plain maps; `outcomesRev` signals). */
  #failedAt = new Map<string, number>();
  #completedAt = new Map<string, number>();
  outcomesRev = $state(0);
  #finishedSinceTrim = 0;
  /** Task id → its events seen live, oldest first (bounded); `momentsRev` signals. */
  #moments = new Map<string, TaskMoment[]>();
  momentsRev = $state(0);

  list = $derived(Object.values(this.byId));
  active = $derived(this.list.filter((t) => ACTIVE_STATES.includes(t.state)));
  running = $derived(this.list.filter((t) => t.state === 'running' || t.state === 'assigned'));
  queued = $derived(this.list.filter((t) => t.state === 'queued' || t.state === 'interrupted'));
  workflowList = $derived(Object.values(this.workflows).sort((a, b) => b.createdAt - a.createdAt));

  constructor() {
    const touch = () => (this.lastEventAt = Date.now());
    onEvent('task:created', (p) => {
      touch();
      this.#upsert(p.id, {
        ...placeOf(p),
        title: p.title,
        description: p.description,
        requirements: p.requirements,
        estimatedDuration: p.estimatedDuration,
        requested: p.requested,
        state: 'queued',
        createdAt: p.timestamp,
      });
      this.#note(p.id, p.timestamp, 'task:created', `created (${p.priority} priority)`);
    });
    onEvent('task:queued', (p) => {
      touch();
      this.#upsert(p.id, { ...placeOf(p), state: 'queued', queueReason: p.reason, assignee: null, progress: 0 });
      this.#note(p.id, p.timestamp, 'task:queued', `queued: ${p.reason}`);
    });
    onEvent('swarm:task:assigned', (p) => {
      const t = this.byId[p.taskId];
      if (t) {
        t.state = 'assigned';
        t.assignee = p.agentId;
        t.swarmId = p.swarmId;
        t.queueReason = null;
      }
      this.#note(p.taskId, p.timestamp, 'swarm:task:assigned', `assigned to ${p.agentId}`);
    });
    onEvent('task:started', (p) => {
      touch();
      this.#upsert(p.id, { ...placeOf(p), assignee: p.assignee, estimatedDuration: p.estimatedDuration, etaAt: p.etaAt, state: 'running', startedAt: p.timestamp, progress: 0 });
      this.#note(p.id, p.timestamp, 'task:started', `started on ${p.assignee}`);
      this.#stepState(p, 'running');
    });
    onEvent('task:progress', (p) => {
      touch();
      const t = this.byId[p.taskId];
      if (t?.stage !== p.currentStage) this.#note(p.taskId, p.timestamp, 'task:progress', `${p.currentStage} — ${p.statusMessage}`);
      if (t) {
        t.progress = p.percentage;
        t.stage = p.currentStage;
        t.statusMessage = p.statusMessage;
        t.etaAt = p.etaAt;
        t.state = 'running';
        t.updatedAt = Date.now();
      } else {
        this.#upsert(p.taskId, { ...placeOf(p), state: 'running', progress: p.percentage, stage: p.currentStage, statusMessage: p.statusMessage, etaAt: p.etaAt });
        // Created before this page subscribed: fetch what the progress event does not carry (title, priority…).
        this.#fetchMissing(p.taskId);
      }
    });
    onEvent('task:completed', (p) => {
      touch();
      this.#finish(p.id, { ...placeOf(p), assignee: p.assignee, state: 'completed', progress: 100, stage: 'done', finishedAt: p.timestamp, result: p.result });
      this.#note(p.id, p.timestamp, 'task:completed', 'completed', 'ok');
      this.#outcome(this.#completedAt, p.id);
    });
    onEvent('task:failed', (p) => {
      touch();
      this.#finish(p.id, { ...placeOf(p), state: 'failed', stopReason: p.reason, finishedAt: p.timestamp });
      this.#note(p.id, p.timestamp, 'task:failed', `failed: ${p.reason}`, 'crit');
      this.#outcome(this.#failedAt, p.id);
      this.#stepState(p, 'failed');
    });
    onEvent('task:cancelled', (p) => {
      touch();
      this.#finish(p.id, { ...placeOf(p), state: 'cancelled', stopReason: p.reason, finishedAt: p.timestamp });
      this.#note(p.id, p.timestamp, 'task:cancelled', `cancelled: ${p.reason}`, 'warn');
      this.#stepState(p, 'cancelled');
    });
    onEvent('task:interrupted', (p) => {
      touch();
      this.#upsert(p.id, { ...placeOf(p), state: 'interrupted' });
      this.#note(p.id, p.timestamp, 'task:interrupted', `interrupted: ${p.reason}`, 'warn');
    });
    onEvent('workflow:created', (p) => {
      touch();
      if (!this.workflows[p.id]) this.#putWorkflow({ id: p.id, name: p.name, state: 'running', createdAt: p.timestamp, finishedAt: null, stopReason: null, steps: [] });
    });
    onEvent('workflow:started', (p) => {
      touch();
      const existing = this.workflows[p.id];
      // Step states already known (from a read or earlier events) are kept.
      const steps = p.steps.map((s) => {
        const known = existing?.steps.find((e) => e.id === s.id);
        return { ...s, state: known?.state ?? ('pending' as const), taskId: known?.taskId ?? null };
      });
      this.#putWorkflow({ id: p.id, name: existing?.name ?? p.id, state: 'running', createdAt: existing?.createdAt ?? p.timestamp, finishedAt: null, stopReason: null, steps });
    });
    onEvent('workflow:step:completed', (p) => {
      touch();
      const step = this.workflows[p.workflowId]?.steps.find((s) => s.id === p.stepId);
      if (step) step.state = 'completed';
    });
    onEvent('workflow:completed', (p) => {
      touch();
      const wf = this.workflows[p.id];
      if (wf) {
        wf.state = 'completed';
        wf.finishedAt = p.timestamp;
      }
    });
    onEvent('workflow:failed', (p) => {
      touch();
      const wf = this.workflows[p.id];
      if (wf) {
        wf.state = 'failed';
        wf.stopReason = p.reason;
        wf.finishedAt = p.timestamp;
      }
    });
    connection.onConnected(() => void this.load());
    registerPaletteProvider(() => ({
      heading: 'Tasks',
      items: [
        { id: 'task:new', label: 'Create a task…', keywords: ['new', 'task'], needs: 'write:tasks', run: () => router.go('tasks?create=task') },
        { id: 'workflow:new', label: 'Create a workflow…', keywords: ['new', 'workflow', 'dag'], needs: 'write:tasks', run: () => router.go('tasks?create=workflow') },
        { id: 'analysis', label: 'Analyze code…', keywords: ['code', 'analysis', 'lint'], needs: 'write:tasks', run: () => router.go('tasks?tab=analysis') },
      ],
    }));
  }

  /** Seen live in the last hour, plus loaded tasks that finished that way within the hour. */
  failedInLastHour(now: number): number {
    return this.#inLastHour(this.#failedAt, 'failed', now);
  }

  completedInLastHour(now: number): number {
    return this.#inLastHour(this.#completedAt, 'completed', now);
  }

  #inLastHour(seen: Map<string, number>, state: TaskState, now: number): number {
    void this.outcomesRev;
    const cutoff = now - 3_600_000;
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local tally, not state
    const ids = new Set<string>();
    for (const [id, at] of seen) if (at > cutoff) ids.add(id);
    for (const t of this.list) if (t.state === state && (t.finishedAt ?? 0) > cutoff) ids.add(t.id);
    return ids.size;
  }

  #outcome(seen: Map<string, number>, id: string): void {
    const now = Date.now();
    seen.set(id, now);
    if (seen.size > 20_000) for (const [k, at] of seen) if (at < now - 3_600_000 || seen.size > 20_000) seen.delete(k);
    this.outcomesRev++;
  }

  async load(): Promise<void> {
    if (!connection.can('read:tasks')) return;
    this.error = null;
    try {
      const { tasks } = await rest('GET /api/tasks', { query: { limit: 1000 } });
      const next: Record<string, TaskItem> = {};
      for (const t of tasks) next[t.id] = { ...t, statusMessage: null, updatedAt: Date.now() };
      this.byId = next;
      this.#trim();
      await this.loadWorkflows();
      this.loadedAt = Date.now();
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  async loadWorkflows(): Promise<void> {
    try {
      const { workflows } = await rest('GET /api/workflows');
      for (const w of workflows) this.#putWorkflow(w);
    } catch {
      /* no workflow listing on this server: the live events still fill it */
    }
  }

  async create(input: CommandInput<'task:create'>): Promise<Task> {
    const task = await connection.requireClient().request('task:create', input);
    this.#upsert(task.id, task);
    return task;
  }

  async cancel(taskId: string): Promise<Task> {
    const task = await connection.requireClient().request('task:cancel', { taskId });
    this.#upsert(task.id, task);
    return task;
  }

  async createWorkflow(input: CommandInput<'workflow:create'>): Promise<Workflow> {
    const wf = await connection.requireClient().request('workflow:create', input);
    this.#putWorkflow(wf);
    return wf;
  }

  async analyze(input: CommandInput<'task:execute:immediate'>): Promise<CommandResults['task:execute:immediate']> {
    return connection.requireClient().request('task:execute:immediate', input, { timeout: 60_000 });
  }

  /** Merges what an event or a read says about a task (fields it leaves undefined keep their value). */
  #upsert(id: string, patch: Partial<TaskItem>): void {
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<TaskItem>;
    const existing = this.byId[id];
    if (existing) Object.assign(existing, defined, { updatedAt: Date.now() });
    else this.byId[id] = { ...blankTask(id), ...defined, id };
  }

  /** This task's events seen live, oldest first. */
  momentsOf(id: string): TaskMoment[] {
    void this.momentsRev;
    // A copy: the kept list is mutated in place, and a derived value must change identity to update.
    return this.#moments.get(id)?.slice() ?? [];
  }

  /** Loads one task (for its page) when this page does not hold it yet. */
  async loadOne(id: string): Promise<TaskItem | null> {
    try {
      this.#upsert(id, await rest('GET /api/tasks/:id', { params: { id } }));
      return this.byId[id] ?? null;
    } catch {
      return null;
    }
  }

  async loadWorkflow(id: string): Promise<void> {
    try {
      this.#putWorkflow(await rest('GET /api/workflows/:id', { params: { id } }));
    } catch {
      /* the page says it is unknown */
    }
  }

  #fetching = new Set<string>();
  #fetchMissing(id: string): void {
    if (this.#fetching.has(id)) return;
    this.#fetching.add(id);
    void this.loadOne(id).finally(() => this.#fetching.delete(id));
  }

  #note(id: string, at: number, event: string, text: string, tone?: TaskMoment['tone']): void {
    let list = this.#moments.get(id);
    if (!list) {
      if (this.#moments.size >= MAX_TRACKED) this.#moments.delete(this.#moments.keys().next().value!);
      this.#moments.set(id, (list = []));
    }
    list.push({ at, event, text, tone });
    if (list.length > MAX_MOMENTS) list.splice(0, list.length - MAX_MOMENTS);
    this.momentsRev++;
  }

  #finish(id: string, patch: Partial<TaskItem>): void {
    this.#upsert(id, patch);
    // A finished task's last progress message ("verifying the result (80%)") is no longer true.
    const t = this.byId[id];
    if (t) t.statusMessage = null;
    if (++this.#finishedSinceTrim >= 50) {
      this.#finishedSinceTrim = 0;
      this.#trim();
    }
  }

  #stepState(p: StepEvent, state: StepState): void {
    if (!p.workflowId || !p.stepId) return;
    const step = this.workflows[p.workflowId]?.steps.find((s) => s.id === p.stepId);
    if (step) {
      step.state = state;
      step.taskId = p.id;
    }
  }

  #putWorkflow(wf: Workflow): void {
    this.workflows[wf.id] = wf;
    const ids = Object.keys(this.workflows);
    if (ids.length > MAX_WORKFLOWS) {
      const oldest = Object.values(this.workflows)
        .sort((a, b) => a.createdAt - b.createdAt)
        .slice(0, ids.length - MAX_WORKFLOWS);
      for (const w of oldest) delete this.workflows[w.id];
    }
  }

  /** Keeps every active task and the most recent finished ones. */
  #trim(): void {
    const finished = Object.values(this.byId).filter((t) => !ACTIVE_STATES.includes(t.state));
    if (finished.length <= MAX_FINISHED) return;
    finished.sort((a, b) => (a.finishedAt ?? a.updatedAt) - (b.finishedAt ?? b.updatedAt));
    for (const t of finished.slice(0, finished.length - MAX_FINISHED)) delete this.byId[t.id];
  }
}

export const tasks = new TasksStore();
