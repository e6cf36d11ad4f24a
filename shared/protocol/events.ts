import { z } from 'zod';
import { SEVERITIES } from './channels';
import { AGENT_STATUSES, TOPOLOGIES } from './commands';
import { TASK_PRIORITIES } from './filters';
import { swarmSchema } from './models';
import { fraction, percent, predictionSchema, systemStatusSchema } from './results';

/** Server→client event payloads (docs/protocol.md §9). Required fields are the ones clients read; more may follow. */
const ts = { timestamp: z.number() };
const sev = z.enum(SEVERITIES);
/** Swarm work runs on the simulation clock: its durations are simulated ms, and say so. */
const simulated = z.literal('simulated');
const simulatedMs = z.number().describe('simulated milliseconds (timeBase: simulated)');
/** When a running task should end: wall-clock epoch ms at the current simulation speed. */
const wallEta = z.number();
const loose = <T extends z.ZodRawShape>(shape: T) => z.looseObject({ ...ts, ...shape });
/** Task events also say where the task belongs, so filters and step views need no lookup. */
const taskRef = {
  priority: z.enum(TASK_PRIORITIES),
  swarmId: z.string().optional(),
  workflowId: z.string().optional(),
  stepId: z.string().optional(),
};
const task = <T extends z.ZodRawShape>(shape: T) => loose({ ...taskRef, ...shape });

export const EVENT_SCHEMAS = {
  /** The same status `system:status:get` answers with. */
  'system:status': loose(systemStatusSchema.shape),
  /** Host figures: usages in percent, sizes in bytes, rates in bytes per second. */
  'system:metrics': loose({
    cpu: z.object({ usage: percent, cores: z.number(), load1: z.number(), load5: z.number(), load15: z.number() }),
    memory: z.object({ usage: percent, used: z.number(), total: z.number(), available: z.number() }),
    network: z.object({ rxBytesPerSec: z.number(), txBytesPerSec: z.number() }),
    disk: z.object({ usage: percent, used: z.number(), total: z.number(), path: z.string() }),
    process: z.object({ rss: z.number(), cpu: percent }),
    swarmCoordination: z.object({ efficiency: fraction }),
    measuredAt: z.number(),
  }),
  /** A threshold level change; `recovered` when the component is back to normal. */
  'system:alert': loose({
    id: z.string(),
    severity: sev,
    message: z.string(),
    component: z.string(),
    value: z.number(),
    threshold: percent,
    level: z.enum(['normal', 'warning', 'critical']),
    previousLevel: z.enum(['normal', 'warning', 'critical']),
    recovered: z.boolean(),
    /** The earlier alert of the same component this one supersedes. */
    resolves: z.string().nullable(),
  }),
  'system:prediction': loose(predictionSchema.shape),
  'system:config:updated': loose({ component: z.string(), version: z.number() }),
  'system:optimization:applied': loose({ applied: z.array(z.unknown()) }),

  /** The new swarm, as `swarm:create` answers it. */
  'swarm:created': loose({ ...swarmSchema.shape, swarmId: z.string(), agentCount: z.number() }),
  'swarm:deleted': loose({ swarmId: z.string(), name: z.string(), agents: z.number() }),
  /** One role scaled from `from` to `to` agents; `agents` is the swarm's new total. */
  'swarm:scaled': loose({ swarmId: z.string(), role: z.string(), from: z.number(), to: z.number(), agents: z.number() }),
  'swarm:agent:status': loose({
    swarmId: z.string(),
    agentId: z.string(),
    role: z.string(),
    oldStatus: z.enum(AGENT_STATUSES),
    newStatus: z.enum(AGENT_STATUSES),
    reason: z.string().optional(),
    taskId: z.string().optional(),
  }),
  'swarm:task:assigned': loose({ swarmId: z.string(), taskId: z.string(), agentId: z.string() }),
  'swarm:task:completed': loose({ swarmId: z.string(), taskId: z.string(), duration: simulatedMs, timeBase: simulated, assignee: z.string() }),
  /** Figures of the last interval; `efficiency` and `avgUtilization` are fractions, latencies ms. */
  'swarm:efficiency': loose({
    swarmId: z.string(),
    efficiency: fraction,
    windowEfficiency: fraction,
    avgLatency: z.number(),
    avgCoordinationMs: z.number(),
    messagesPerAssignment: z.number(),
    tasksPerMinute: z.number(),
    avgUtilization: fraction,
    intervalMs: z.number(),
    agents: z.number(),
    completed: z.number(),
    failed: z.number(),
    queued: z.number(),
  }),
  'swarm:topology:changed': loose({ swarmId: z.string(), from: z.enum(TOPOLOGIES), to: z.enum(TOPOLOGIES), reason: z.string() }),

  /** Accuracies in neural events are percent (0–100), like every accuracy the server reports. */
  'neural:training:started': loose({
    runId: z.string(),
    networkId: z.string(),
    networkType: z.string(),
    dataset: z.string(),
    totalEpochs: z.number(),
    startedAt: z.number(),
  }),
  'neural:training:progress': loose({
    runId: z.string(),
    networkId: z.string(),
    networkType: z.string(),
    epoch: z.number(),
    totalEpochs: z.number(),
    /** Validation loss of this epoch. */
    currentLoss: z.number(),
    currentAccuracy: percent,
    trainLoss: z.number(),
    valLoss: z.number(),
    samplesPerSecond: z.number(),
    /** ms of wall-clock time: training runs in real time. */
    estimatedTimeRemaining: z.number(),
    timeBase: z.literal('wall'),
    /** When the run should end, epoch ms. */
    etaAt: z.number(),
  }),
  'neural:training:completed': loose({
    runId: z.string(),
    networkId: z.string(),
    networkType: z.string(),
    modelId: z.string(),
    finalAccuracy: percent,
    finalLoss: z.number(),
    /** ms. */
    trainingTime: z.number(),
    epochs: z.number(),
    totalEpochs: z.number(),
    samplesPerSecond: z.number(),
  }),
  'neural:training:stopped': loose({
    runId: z.string(),
    networkId: z.string(),
    networkType: z.string(),
    epochsRun: z.number(),
    forced: z.boolean(),
    status: z.enum(['stopped', 'interrupted']),
    /** The best epoch of the run, and whether it became the network's model (else why not). */
    checkpoint: z.object({ bestEpoch: z.number(), accuracy: percent, loss: z.number(), adopted: z.boolean(), reason: z.string().optional() }).optional(),
    /** Set when the checkpoint became the network's model. */
    modelId: z.string().optional(),
  }),
  'neural:training:failed': loose({ runId: z.string(), networkId: z.string(), networkType: z.string(), message: z.string(), severity: sev, code: z.string().optional() }),
  'neural:inference:metrics': loose({
    avgInferenceTime: z.number(),
    inferencesPerSecond: z.number(),
    wasmEnabled: z.boolean(),
    activeNetworks: z.number(),
    totalInferences: z.number(),
    networks: z.array(z.string()),
  }),
  'neural:accuracy:drift': loose({
    modelId: z.string(),
    networkId: z.string(),
    networkType: z.string(),
    currentAccuracy: percent,
    baselineAccuracy: percent,
    /** Percentage points below the baseline. */
    gap: z.number(),
    samples: z.number(),
    severity: sev,
  }),

  /** Figures over the sliding window `windowMs`: times in ms, error rates as fractions of requests. */
  'api:metrics': loose({
    requests: z.number(),
    rps: z.number(),
    avgResponseTime: z.number(),
    p95ResponseTime: z.number(),
    errorRate: fraction,
    serverErrorRate: fraction,
    slowRequests: z.number(),
    concurrentConnections: z.number(),
    windowMs: z.number(),
  }),
  'api:slow:request': loose({
    endpoint: z.string(),
    method: z.string(),
    status: z.number(),
    duration: z.number(),
    threshold: z.number(),
    severity: sev,
    /** Slow requests not reported since the last event (at most a few per second are). */
    suppressed: z.number().optional(),
  }),
  'api:rate:limit': loose({ clientId: z.string(), currentRequests: z.number(), limit: z.number(), window: z.string(), severity: sev }),
  'api:optimization:applied': loose({ type: z.string(), expectedImprovement: z.string() }),

  'task:created': task({
    id: z.string(),
    title: z.string(),
    description: z.string().optional(),
    requirements: z.array(z.string()),
    /** ms. */
    estimatedDuration: z.number(),
    requested: z.string(),
  }),
  'task:queued': task({ id: z.string(), reason: z.string(), requeued: z.boolean().optional(), attempts: z.number().optional() }),
  'task:started': task({ id: z.string(), assignee: z.string(), estimatedDuration: simulatedMs, timeBase: simulated, etaAt: wallEta, attempt: z.number() }),
  'task:progress': task({ taskId: z.string(), percentage: percent, currentStage: z.string(), statusMessage: z.string(), etaAt: wallEta }),
  'task:completed': task({ id: z.string(), duration: simulatedMs, timeBase: simulated, result: z.unknown(), assignee: z.string() }),
  'task:failed': task({ id: z.string(), reason: z.string(), severity: sev, assignee: z.string().optional(), duration: simulatedMs.optional(), timeBase: simulated.optional() }),
  'task:cancelled': task({ id: z.string(), reason: z.string(), assignee: z.string().optional() }),
  'task:interrupted': task({ id: z.string(), severity: sev, reason: z.string(), interruptions: z.number(), assignee: z.string().optional() }),
  'workflow:created': loose({ id: z.string(), name: z.string(), stepCount: z.number(), priority: z.enum(TASK_PRIORITIES), swarmId: z.string().optional() }),
  'workflow:started': loose({
    id: z.string(),
    steps: z.array(z.object({ id: z.string(), title: z.string(), dependsOn: z.array(z.string()) })),
    priority: z.enum(TASK_PRIORITIES),
    swarmId: z.string().optional(),
  }),
  'workflow:step:completed': loose({ workflowId: z.string(), stepId: z.string() }),
  'workflow:completed': loose({ id: z.string() }),
  'workflow:failed': loose({ id: z.string(), reason: z.string(), severity: sev }),

  /** Sent once on connect: who the socket is and its effective (narrowed) permissions. */
  'auth:session': loose({
    userId: z.string(),
    permissions: z.array(z.string()),
    expiresAt: z.number().nullable(),
    /** The event log's epoch and newest seq (docs/protocol.md §10). */
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
type DeclaredKeys<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T as string extends K ? never : number extends K ? never : K]: DeclaredKeys<T[K]> } : T;
/** What an engine publishes: the payload's required fields (more may be added), before the bus stamps its timestamp. */
export type EventInput<E extends ServerEventName> = Omit<DeclaredKeys<EventPayload<E>>, 'timestamp'> & { timestamp?: number } & Record<string, unknown>;

export const SERVER_EVENTS = Object.keys(EVENT_SCHEMAS) as ServerEventName[];
