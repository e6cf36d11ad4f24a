import { z } from 'zod';
import type { logPositionSchema } from './commands';
import { AGENT_STATUSES, TOPOLOGIES } from './commands';
import { TASK_PRIORITIES } from './filters';

/** Domain objects as they travel in command results and REST bodies. */
export const agentSchema = z.object({
  id: z.string(),
  swarmId: z.string(),
  role: z.string(),
  skills: z.array(z.string()),
  status: z.enum(AGENT_STATUSES),
  /** Share of the agent's recent time spent working. */
  load: z.number().describe('fraction, 0–1'),
  currentTaskId: z.string().nullable(),
});
export type Agent = z.infer<typeof agentSchema>;

export const swarmSchema = z.object({
  id: z.string(),
  name: z.string(),
  topology: z.enum(TOPOLOGIES),
  createdAt: z.number(),
  agents: z.array(agentSchema),
});
export type Swarm = z.infer<typeof swarmSchema>;

export const TASK_STATES = ['queued', 'assigned', 'running', 'completed', 'failed', 'cancelled', 'interrupted'] as const;
export const taskSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string().optional(),
  priority: z.enum(TASK_PRIORITIES),
  state: z.enum(TASK_STATES),
  assignee: z.string().nullable(),
  requested: z.string(),
  requirements: z.array(z.string()),
  /** Simulated milliseconds: at `--sim-speed` N a task takes estimatedDuration / N of real time. */
  estimatedDuration: z.number(),
  /** What the durations are measured in: simulated time. */
  timeBase: z.literal('simulated').optional(),
  /** While running: the wall-clock moment (ms) it should end, at the current simulation speed. */
  etaAt: z.number().nullable().optional(),
  swarmId: z.string().nullable(),
  workflowId: z.string().nullable().optional(),
  stepId: z.string().nullable().optional(),
  progress: z.number(),
  stage: z.string().nullable().optional(),
  queueReason: z.string().nullable().optional(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  result: z.unknown().optional(),
  /** Why the task ended without completing (failed or cancelled); a success result never carries a top-level `error`. */
  stopReason: z.string().nullable().optional(),
});
export type Task = z.infer<typeof taskSchema>;

export const WORKFLOW_STATES = ['running', 'completed', 'failed', 'cancelled', 'interrupted'] as const;
export const STEP_STATES = ['pending', 'running', 'completed', 'failed', 'cancelled'] as const;
export const workflowSchema = z.object({
  id: z.string(),
  name: z.string(),
  state: z.enum(WORKFLOW_STATES),
  createdAt: z.number(),
  finishedAt: z.number().nullable(),
  /** Why the workflow ended without completing. */
  stopReason: z.string().nullable().optional(),
  steps: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      dependsOn: z.array(z.string()),
      requirements: z.array(z.string()).optional(),
      estimatedDuration: z.number().optional(),
      state: z.enum(STEP_STATES),
      taskId: z.string().nullable(),
    }),
  ),
});
export type Workflow = z.infer<typeof workflowSchema>;

export const subscriptionStateSchema = z.object({
  subscriptions: z.record(z.string(), z.object({ filter: z.record(z.string(), z.unknown()), exclude: z.array(z.record(z.string(), z.unknown())) })),
});
export type SubscriptionState = z.infer<typeof subscriptionStateSchema>;

export type LogPosition = z.infer<typeof logPositionSchema>;

/** What a `subscribe` with `since` says about the replay (docs/protocol.md §10). */
export const recoverySchema = z.union([
  z.object({ recovered: z.literal(true), replayed: z.number(), fromSeq: z.number(), toSeq: z.number() }),
  z.object({ recovered: z.literal(false), reason: z.enum(['epoch_changed', 'expired']), oldestSeq: z.number() }),
]);
export type Recovery = z.infer<typeof recoverySchema>;

/** One event as `GET /api/events` returns it. */
export const loggedEventViewSchema = z.object({ seq: z.number(), event: z.string(), data: z.record(z.string(), z.unknown()) });
export type LoggedEventView = z.infer<typeof loggedEventViewSchema>;

export const tokenIssuedSchema = z.object({ token: z.string(), jti: z.string(), expiresAt: z.number() });
export type TokenIssued = z.infer<typeof tokenIssuedSchema>;
