import type { Task, Workflow } from '../../../../shared/protocol/models';
import type { CommandInput } from '../../../../shared/protocol/command-table';
import type { CommandResults } from '../../../../shared/protocol/results';
import { onEvent } from '../bus';
import { arrAt, isObj, numAt, strAt, type Obj } from '../pick';
import { api } from '../rest';
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

function toTask(raw: Obj, fallback?: TaskItem): TaskItem {
  const now = Date.now();
  const f = fallback;
  return {
    id: strAt(raw, 'id', 'taskId') ?? f?.id ?? 'unknown',
    title: strAt(raw, 'title') ?? f?.title ?? '(untitled)',
    description: strAt(raw, 'description') ?? f?.description,
    priority: (strAt(raw, 'priority') as Task['priority'] | undefined) ?? f?.priority ?? 'medium',
    state: (strAt(raw, 'state', 'status') as TaskState | undefined) ?? f?.state ?? 'queued',
    assignee: strAt(raw, 'assignee') ?? f?.assignee ?? null,
    requested: strAt(raw, 'requested') ?? f?.requested ?? 'auto',
    requirements: Array.isArray(raw.requirements) ? (raw.requirements as string[]) : (f?.requirements ?? []),
    estimatedDuration: numAt(raw, 'estimatedDuration') ?? f?.estimatedDuration ?? 0,
    etaAt: numAt(raw, 'etaAt') ?? f?.etaAt ?? null,
    swarmId: strAt(raw, 'swarmId') ?? f?.swarmId ?? null,
    workflowId: strAt(raw, 'workflowId') ?? f?.workflowId ?? null,
    stepId: strAt(raw, 'stepId') ?? f?.stepId ?? null,
    progress: numAt(raw, 'progress', 'percentage') ?? f?.progress ?? 0,
    stage: strAt(raw, 'stage', 'currentStage') ?? f?.stage ?? null,
    queueReason: strAt(raw, 'queueReason') ?? f?.queueReason ?? null,
    createdAt: numAt(raw, 'createdAt') ?? f?.createdAt ?? numAt(raw, 'timestamp') ?? now,
    startedAt: numAt(raw, 'startedAt') ?? f?.startedAt ?? null,
    finishedAt: numAt(raw, 'finishedAt') ?? f?.finishedAt ?? null,
    result: raw.result ?? f?.result,
    stopReason: strAt(raw, 'stopReason') ?? f?.stopReason ?? null,
    statusMessage: f?.statusMessage ?? null,
    updatedAt: now,
  };
}

function toWorkflow(raw: Obj): Workflow | null {
  const id = strAt(raw, 'id', 'workflowId');
  if (!id) return null;
  return {
    id,
    name: strAt(raw, 'name') ?? id,
    state: (strAt(raw, 'state', 'status') as Workflow['state'] | undefined) ?? 'running',
    createdAt: numAt(raw, 'createdAt', 'timestamp') ?? Date.now(),
    finishedAt: numAt(raw, 'finishedAt') ?? null,
    stopReason: strAt(raw, 'stopReason', 'reason') ?? null,
    steps: arrAt<Obj>(raw, 'steps')
      .filter(isObj)
      .map((s) => ({
        id: strAt(s, 'id') ?? '?',
        title: strAt(s, 'title') ?? strAt(s, 'id') ?? '?',
        dependsOn: arrAt<string>(s, 'dependsOn'),
        requirements: arrAt<string>(s, 'requirements'),
        estimatedDuration: numAt(s, 'estimatedDuration'),
        state: (strAt(s, 'state', 'status') as StepState | undefined) ?? 'pending',
        taskId: strAt(s, 'taskId') ?? null,
      })),
  };
}

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
      this.#upsert(p.id, { ...p, state: 'queued', createdAt: p.timestamp });
      this.#note(p.id, p.timestamp, 'task:created', `created (${strAt(p, 'priority') ?? 'medium'} priority)`);
    });
    onEvent('task:queued', (p) => {
      touch();
      this.#upsert(p.id, { ...p, state: 'queued', queueReason: p.reason, assignee: null, progress: 0 });
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
      this.#upsert(p.id, { ...p, state: 'running', startedAt: p.timestamp, progress: 0 });
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
        t.etaAt = numAt(p, 'etaAt') ?? t.etaAt;
        t.state = 'running';
        t.updatedAt = Date.now();
      } else {
        this.#upsert(p.taskId, { ...p, id: p.taskId, state: 'running', progress: p.percentage, stage: p.currentStage });
        // Created before this page subscribed: fetch what the progress event does not carry (title, priority…).
        this.#fetchMissing(p.taskId);
      }
    });
    onEvent('task:completed', (p) => {
      touch();
      this.#finish(p.id, { ...p, state: 'completed', progress: 100, stage: 'done', finishedAt: p.timestamp, result: p.result });
      this.#note(p.id, p.timestamp, 'task:completed', 'completed', 'ok');
      this.#outcome(this.#completedAt, p.id);
    });
    onEvent('task:failed', (p) => {
      touch();
      this.#finish(p.id, { ...p, state: 'failed', error: p.reason, finishedAt: p.timestamp });
      this.#note(p.id, p.timestamp, 'task:failed', `failed: ${p.reason}`, 'crit');
      this.#outcome(this.#failedAt, p.id);
      this.#stepState(p, 'failed');
    });
    onEvent('task:cancelled', (p) => {
      touch();
      this.#finish(p.id, { ...p, state: 'cancelled', error: strAt(p, 'reason') ?? null, finishedAt: p.timestamp });
      this.#note(p.id, p.timestamp, 'task:cancelled', `cancelled${strAt(p, 'reason') ? `: ${strAt(p, 'reason')}` : ''}`, 'warn');
      this.#stepState(p, 'cancelled');
    });
    onEvent('task:interrupted', (p) => {
      touch();
      this.#upsert(p.id, { ...p, state: 'interrupted' });
      this.#note(p.id, p.timestamp, 'task:interrupted', `interrupted: ${strAt(p, 'reason') ?? 'the server stopped'}`, 'warn');
    });
    onEvent('workflow:created', (p) => {
      touch();
      if (!this.workflows[p.id]) {
        const wf = toWorkflow({ ...p, state: 'running', createdAt: p.timestamp });
        if (wf) this.#putWorkflow(wf);
      }
    });
    onEvent('workflow:started', (p) => {
      touch();
      const existing = this.workflows[p.id];
      const wf = toWorkflow({ ...p, name: existing?.name ?? strAt(p, 'name') ?? p.id, state: 'running', createdAt: existing?.createdAt ?? p.timestamp });
      if (!wf) return;
      if (existing) {
        // keep known step states
        wf.steps = wf.steps.map((s) => ({ ...s, state: existing.steps.find((e) => e.id === s.id)?.state ?? s.state, taskId: existing.steps.find((e) => e.id === s.id)?.taskId ?? s.taskId }));
      }
      this.#putWorkflow(wf);
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
      const body = await api<unknown>('/tasks?limit=1000');
      const list = arrAt<Obj>(body, 'tasks', 'items', '').filter(isObj);
      const next: Record<string, TaskItem> = {};
      for (const raw of list) {
        const t = toTask(raw);
        next[t.id] = t;
      }
      this.byId = next;
      this.#trim();
      const wfs = arrAt<Obj>(body, 'workflows').filter(isObj);
      if (wfs.length) for (const w of wfs) this.#putWorkflow(toWorkflow(w));
      else await this.loadWorkflows();
      this.loadedAt = Date.now();
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  async loadWorkflows(): Promise<void> {
    try {
      const body = await api<unknown>('/workflows');
      for (const w of arrAt<Obj>(body, 'workflows', 'items', '').filter(isObj)) this.#putWorkflow(toWorkflow(w));
    } catch {
      /* no workflow listing on this server: the live events still fill it */
    }
  }

  async create(input: CommandInput<'task:create'>): Promise<Task> {
    const task = await this.#client().request('task:create', input);
    this.#upsert(task.id, task as unknown as Obj);
    return task;
  }

  async cancel(taskId: string): Promise<Task> {
    const task = await this.#client().request('task:cancel', { taskId });
    this.#upsert(task.id, task as unknown as Obj);
    return task;
  }

  async createWorkflow(input: CommandInput<'workflow:create'>): Promise<Workflow> {
    const wf = await this.#client().request('workflow:create', input);
    this.#putWorkflow(toWorkflow(wf as unknown as Obj));
    return wf;
  }

  async analyze(input: CommandInput<'task:execute:immediate'>): Promise<CommandResults['task:execute:immediate']> {
    return this.#client().request('task:execute:immediate', input, { timeout: 60_000 });
  }

  #client() {
    const c = connection.client;
    if (!c) throw new Error('not connected');
    return c;
  }

  #upsert(id: string, patch: Obj): void {
    const existing = this.byId[id];
    const merged = toTask({ ...patch, id }, existing ? $state.snapshot(existing) as TaskItem : undefined);
    if (existing) Object.assign(existing, merged);
    else this.byId[id] = merged;
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
      this.#upsert(id, await api<Obj>(`/tasks/${encodeURIComponent(id)}`));
      return this.byId[id] ?? null;
    } catch {
      return null;
    }
  }

  async loadWorkflow(id: string): Promise<void> {
    try {
      this.#putWorkflow(toWorkflow(await api<Obj>(`/workflows/${encodeURIComponent(id)}`)));
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

  #finish(id: string, patch: Obj): void {
    this.#upsert(id, patch);
    // A finished task's last progress message ("verifying the result (80%)") is no longer true.
    const t = this.byId[id];
    if (t) t.statusMessage = null;
    if (++this.#finishedSinceTrim >= 50) {
      this.#finishedSinceTrim = 0;
      this.#trim();
    }
  }

  #stepState(p: Obj, state: StepState): void {
    const wid = strAt(p, 'workflowId');
    const sid = strAt(p, 'stepId');
    if (!wid || !sid) return;
    const step = this.workflows[wid]?.steps.find((s) => s.id === sid);
    if (step) {
      step.state = state;
      const tid = strAt(p, 'id', 'taskId');
      if (tid) step.taskId = tid;
    }
  }

  #putWorkflow(wf: Workflow | null): void {
    if (!wf) return;
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
