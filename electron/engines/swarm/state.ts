import type { Agent, Swarm, Task, Workflow } from '../../../shared/protocol/models';
import type { Scheduled } from './timeline';

/** The engine's live, mutable state. Protocol shapes come from models.ts; views.ts maps these onto them. */
export type Topology = Swarm['topology'];
export type AgentStatus = Agent['status'];
export type TaskPriority = Task['priority'];
export type TaskLifecycle = Task['state'];
export type WorkflowLifecycle = Workflow['state'];
export type StepLifecycle = Workflow['steps'][number]['state'];

/** What one swarm did during one efficiency interval; summed over a window for analysis and the optimiser. */
export interface Counters {
  assignments: number;
  /** Σ coordination delay (assignment → start) and messages, over assignments. */
  coordinationMs: number;
  messages: number;
  /** Σ planned run time of the assigned tasks: the work that coordination was spent on. */
  workMs: number;
  started: number;
  /** Σ (start − time the task entered the queue), over tasks that started. */
  latencyMs: number;
  completed: number;
  failed: number;
  /** Tasks taken off an agent that failed, went offline or was removed. */
  requeued: number;
  agentFailures: number;
  /** Agent-milliseconds spent busy / present: utilisation is their ratio. */
  busyMs: number;
  agentMs: number;
}

export interface Sample extends Counters {
  at: number;
  ms: number;
  topology: Topology;
  agents: number;
  /** Queued tasks each role could take, at the end of the interval. */
  queueByRole: Record<string, number>;
  /** Busy share of each role's agents, at the end of the interval. */
  busyByRole: Record<string, number>;
}

export interface Meter {
  current: Counters;
  since: number;
  busy: number;
  lastAt: number;
  samples: Sample[];
}

/** Agents of one role in one swarm: they share skills, so they are interchangeable for matching. */
export interface RoleGroup {
  role: string;
  skills: ReadonlySet<string>;
  agents: Set<AgentState>;
  counts: Record<AgentStatus, number>;
}

export interface SwarmState {
  id: string;
  seq: number;
  name: string;
  topology: Topology;
  createdAt: number;
  topologyChangedAt: number;
  agents: Map<string, AgentState>;
  roles: Map<string, RoleGroup>;
  /** When the star hub is next free to route an assignment. */
  hubFreeAt: number;
  meter: Meter;
  nextFault: Scheduled | null;
  /** Its next swarm:efficiency report (see EfficiencyMonitor). */
  nextReport: Scheduled | null;
}

export interface AgentState {
  id: string;
  seq: number;
  swarm: SwarmState;
  role: string;
  skills: readonly string[];
  skillSet: ReadonlySet<string>;
  status: AgentStatus;
  /** Load as of `loadAt`; it drifts towards 1 while busy and 0 otherwise (see agents.ts). */
  load: number;
  loadAt: number;
  /** How much likelier than its peers this agent is to fail (seeded at creation). */
  fragility: number;
  /** Orders idle agents by current load (see agents.ts idleKey); set when the agent turns idle. */
  idleKey: number;
  task: TaskState | null;
  failures: number[];
  recovery: Scheduled | null;
}

export interface TaskState {
  id: string;
  seq: number;
  title: string;
  description: string | undefined;
  priority: TaskPriority;
  state: TaskLifecycle;
  /** 'auto' or the agent id the creator asked for. */
  requested: string;
  requirements: string[];
  estimatedDuration: number;
  requestedSwarmId: string | null;
  swarmId: string | null;
  assignee: string | null;
  workflowId: string | null;
  stepId: string | null;
  progress: number;
  stage: string | null;
  queueReason: string | null;
  createdAt: number;
  queuedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  result: unknown;
  error: string | null;
  attempts: number;
  /** Runs cut short by a server stop; at the engine's `taskAttempts` the task fails instead of starting over. */
  interruptions: number;
  /** Runtime only: the agent holding the task, the pending timeline step, its queue class. */
  agent: AgentState | null;
  timer: Scheduled | null;
  queueKey: string | null;
}

export interface StepState {
  id: string;
  title: string;
  dependsOn: string[];
  requirements: string[] | undefined;
  estimatedDuration: number | undefined;
  state: StepLifecycle;
  taskId: string | null;
}

export interface WorkflowState {
  id: string;
  seq: number;
  name: string;
  state: WorkflowLifecycle;
  priority: TaskPriority;
  swarmId: string | null;
  createdAt: number;
  finishedAt: number | null;
  error: string | null;
  steps: StepState[];
}

/** Everything the engine holds in memory; finished tasks and workflows are kept only for a bounded while. */
export interface World {
  swarms: Map<string, SwarmState>;
  agents: Map<string, AgentState>;
  /** Tasks not yet finished. */
  tasks: Map<string, TaskState>;
  /** Recently finished tasks, oldest first. */
  finished: Map<string, TaskState>;
  /** Workflows still running. */
  workflows: Map<string, WorkflowState>;
  /** Recently finished workflows, oldest first. */
  finishedWorkflows: Map<string, WorkflowState>;
}

export const PRIORITY_RANK: Record<TaskPriority, number> = { urgent: 3, high: 2, medium: 1, low: 0 };

export function isActive(task: TaskState): boolean {
  return task.state === 'queued' || task.state === 'assigned' || task.state === 'running' || task.state === 'interrupted';
}

/** A persisted agent, as persistence.ts hands it back for restoring. */
export type AgentRecord = Pick<AgentState, 'id' | 'seq' | 'role' | 'skills' | 'status' | 'load' | 'loadAt' | 'fragility'>;

/** Where the roster puts agents that become idle and takes them back (the scheduler's idle pool). */
export interface IdleAgents {
  add(agent: AgentState): void;
  remove(agent: AgentState): void;
}
