import { z } from 'zod';
import { SEVERITIES } from './channels';
import { TOPOLOGIES } from './commands';

/** Server→client event payloads (PROTOCOL.md §8). Required fields are the ones the seed reads; more may follow. */
const ts = { timestamp: z.number() };
const sev = z.enum(SEVERITIES);
const loose = <T extends z.ZodRawShape>(shape: T) => z.looseObject({ ...ts, ...shape });

export const EVENT_SCHEMAS = {
  'system:status': loose({
    health: z.looseObject({ overall: z.enum(['healthy', 'degraded', 'critical']), score: z.number().optional() }),
    performance: z.looseObject({ cpu: z.number(), memory: z.number() }),
    swarms: z.looseObject({ active: z.number() }),
  }),
  'system:metrics': loose({
    cpu: z.unknown(),
    memory: z.unknown(),
    network: z.unknown(),
    swarmCoordination: z.looseObject({ efficiency: z.number() }),
  }),
  'system:alert': loose({ severity: sev, message: z.string(), component: z.string() }),
  'system:prediction': loose({ issue: z.string(), confidence: z.number(), timeToIssue: z.number() }),
  'system:config:updated': loose({ component: z.string(), version: z.number() }),
  'system:optimization:applied': loose({ applied: z.array(z.unknown()) }),

  'swarm:created': loose({ id: z.string(), swarmId: z.string(), name: z.string(), topology: z.enum(TOPOLOGIES) }),
  'swarm:deleted': loose({ swarmId: z.string() }),
  'swarm:scaled': loose({ swarmId: z.string() }),
  'swarm:agent:status': loose({ swarmId: z.string(), agentId: z.string(), oldStatus: z.string(), newStatus: z.string() }),
  'swarm:task:assigned': loose({ swarmId: z.string(), taskId: z.string(), agentId: z.string() }),
  'swarm:task:completed': loose({ swarmId: z.string(), taskId: z.string(), duration: z.number(), assignee: z.string() }),
  'swarm:efficiency': loose({ swarmId: z.string(), avgLatency: z.number(), tasksPerMinute: z.number(), avgUtilization: z.number() }),
  'swarm:topology:changed': loose({ swarmId: z.string(), from: z.string(), to: z.string(), reason: z.string() }),

  'neural:training:started': loose({ runId: z.string(), networkId: z.string() }),
  'neural:training:progress': loose({
    networkId: z.string(),
    epoch: z.number(),
    totalEpochs: z.number(),
    currentLoss: z.number(),
    currentAccuracy: z.number(),
    estimatedTimeRemaining: z.number(),
  }),
  'neural:training:completed': loose({ networkId: z.string(), finalAccuracy: z.number(), trainingTime: z.number() }),
  'neural:training:stopped': loose({ runId: z.string(), networkId: z.string() }),
  'neural:training:failed': loose({ runId: z.string(), networkId: z.string(), message: z.string(), severity: sev }),
  'neural:inference:metrics': loose({
    avgInferenceTime: z.number(),
    inferencesPerSecond: z.number(),
    wasmEnabled: z.boolean(),
    activeNetworks: z.number(),
  }),
  'neural:accuracy:drift': loose({ modelId: z.string(), currentAccuracy: z.number(), baselineAccuracy: z.number(), severity: sev }),

  'api:metrics': loose({ rps: z.number(), avgResponseTime: z.number(), errorRate: z.number(), concurrentConnections: z.number() }),
  'api:slow:request': loose({ endpoint: z.string(), duration: z.number(), threshold: z.number(), severity: sev }),
  'api:rate:limit': loose({ clientId: z.string(), currentRequests: z.number(), limit: z.number(), window: z.string(), severity: sev }),
  'api:optimization:applied': loose({ type: z.string(), expectedImprovement: z.string() }),

  'task:created': loose({ id: z.string(), title: z.string() }),
  'task:queued': loose({ id: z.string(), reason: z.string() }),
  'task:started': loose({ id: z.string(), assignee: z.string() }),
  'task:progress': loose({ taskId: z.string(), percentage: z.number(), currentStage: z.string(), statusMessage: z.string() }),
  'task:completed': loose({ id: z.string(), duration: z.number(), result: z.unknown() }),
  'task:failed': loose({ id: z.string(), reason: z.string(), severity: sev }),
  'task:cancelled': loose({ id: z.string() }),
  'task:interrupted': loose({ id: z.string(), severity: sev }),
  'workflow:created': loose({ id: z.string(), name: z.string() }),
  'workflow:started': loose({ id: z.string(), steps: z.array(z.unknown()) }),
  'workflow:step:completed': loose({ workflowId: z.string(), stepId: z.string() }),
  'workflow:completed': loose({ id: z.string() }),
  'workflow:failed': loose({ id: z.string(), reason: z.string(), severity: sev }),

  /** Sent once on connect: who the socket is and its effective (narrowed) permissions. */
  'auth:session': loose({
    userId: z.string(),
    permissions: z.array(z.string()),
    expiresAt: z.number().nullable(),
    /** The event log's epoch and newest seq (PROTOCOL.md §9). */
    epoch: z.string().optional(),
    seq: z.number().optional(),
  }),
  'auth:token:refresh': loose({ refreshToken: z.string(), expiresAt: z.number() }),
  'auth:error': loose({ code: z.string(), message: z.string() }),
  'auth:permissions:granted': loose({ requestId: z.string(), permissions: z.array(z.string()), token: z.string() }),
  'auth:permissions:denied': loose({ requestId: z.string(), reason: z.string() }),
  'auth:permissions:requested': loose({ requestId: z.string(), userId: z.string(), permissions: z.array(z.string()), reason: z.string() }),
  'performance:metrics': loose({ latency: z.number(), eventsPerSecond: z.number(), bandwidth: z.number(), quality: z.enum(['excellent', 'good', 'fair', 'poor']) }),
  batch: loose({ events: z.array(z.object({ event: z.string(), data: z.unknown() })) }),
  ping: loose({}),
  /** Sent to every socket before a clean shutdown closes it. */
  'server:shutdown': loose({ reason: z.string() }),
} as const;

export type ServerEventName = keyof typeof EVENT_SCHEMAS;
export type EventPayload<E extends ServerEventName> = z.output<(typeof EVENT_SCHEMAS)[E]>;
/** The declared keys of a loose object type, at every depth, without the index signature (which would swallow them in Omit). */
type DeclaredKeys<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T as string extends K ? never : number extends K ? never : K]: DeclaredKeys<T[K]> }
    : T;
/** What an engine publishes: the payload's required fields (more may be added), before the bus stamps its timestamp. */
export type EventInput<E extends ServerEventName> = Omit<DeclaredKeys<EventPayload<E>>, 'timestamp'> & { timestamp?: number } & Record<string, unknown>;

export const SERVER_EVENTS = Object.keys(EVENT_SCHEMAS) as ServerEventName[];
