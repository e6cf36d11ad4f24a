import type { Agent, Swarm, Task, Workflow } from '../../../shared/protocol/models';
import { loadOf } from './agents';
import type { AgentState, SwarmState, TaskState, WorkflowState } from './state';

/**
 * Maps live state onto the protocol shapes of models.ts (fresh objects: callers may keep or send them).
 * Moments (createdAt, startedAt, finishedAt) go out as wall-clock time via `wall`; durations stay
 * simulated (`timeBase: 'simulated'`), and a running task's `etaAt` is the wall-clock moment it
 * should end at the current speed.
 */
export type ToWall = (simTime: number) => number;
const wallOrNull = (wall: ToWall, t: number | null): number | null => (t === null ? null : wall(t));

export function agentView(agent: AgentState, now: number): Agent {
  return {
    id: agent.id,
    swarmId: agent.swarm.id,
    role: agent.role,
    skills: [...agent.skills],
    status: agent.status,
    load: Math.round(loadOf(agent, now) * 1000) / 1000,
    currentTaskId: agent.task?.id ?? null,
  };
}

export function swarmView(swarm: SwarmState, now: number, wall: ToWall): Swarm {
  return {
    id: swarm.id,
    name: swarm.name,
    topology: swarm.topology,
    createdAt: wall(swarm.createdAt),
    agents: [...swarm.agents.values()].map((a) => agentView(a, now)),
  };
}

export function taskView(task: TaskState, wall: ToWall): Task {
  return {
    id: task.id,
    title: task.title,
    ...(task.description === undefined ? {} : { description: task.description }),
    priority: task.priority,
    state: task.state,
    assignee: task.assignee,
    requested: task.requested,
    requirements: [...task.requirements],
    estimatedDuration: task.estimatedDuration,
    timeBase: 'simulated',
    etaAt: task.state === 'running' && task.startedAt !== null ? wall(task.startedAt + task.estimatedDuration) : null,
    swarmId: task.swarmId,
    workflowId: task.workflowId,
    stepId: task.stepId,
    progress: task.progress,
    stage: task.stage,
    queueReason: task.queueReason,
    createdAt: wall(task.createdAt),
    startedAt: wallOrNull(wall, task.startedAt),
    finishedAt: wallOrNull(wall, task.finishedAt),
    ...(task.result === undefined ? {} : { result: task.result }),
    stopReason: task.error,
  };
}

export function workflowView(wf: WorkflowState, wall: ToWall): Workflow {
  return {
    id: wf.id,
    name: wf.name,
    state: wf.state,
    createdAt: wall(wf.createdAt),
    finishedAt: wallOrNull(wall, wf.finishedAt),
    stopReason: wf.error,
    steps: wf.steps.map((s) => ({
      id: s.id,
      title: s.title,
      dependsOn: [...s.dependsOn],
      ...(s.requirements === undefined ? {} : { requirements: [...s.requirements] }),
      ...(s.estimatedDuration === undefined ? {} : { estimatedDuration: s.estimatedDuration }),
      state: s.state,
      taskId: s.taskId,
    })),
  };
}
