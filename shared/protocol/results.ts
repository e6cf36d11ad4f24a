import { z } from 'zod';
import { codeAnalysisSchema } from './analysis';
import type { CommandName } from './command-table';
import { OPTIMIZE_STRATEGIES, OPTIMIZE_TARGETS, RECOMMENDATION_SEVERITIES, trainingConfigSchema } from './commands';
import { CONFIG_COMPONENTS } from './config-schemas';
import { recoverySchema, subscriptionStateSchema, swarmSchema, taskSchema, workflowSchema } from './models';

/**
 * What each command's ack resolves with on success (docs/protocol.md §7), and the bodies REST answers
 * with. Handlers are typed against these, so renaming a field here is a compile error in the engine
 * that fills it and in every client that reads it. Units are in the names' docs and never mixed:
 * `percent` is 0–100, `fraction` is 0–1.
 */
export const percent = z.number().describe('percent, 0–100');
export const fraction = z.number().describe('fraction, 0–1');
/** A number from 0 to 100; named so a type says which scale a value is on. */
export type Percent = number;
/** A number from 0 to 1. */
export type Fraction = number;
const epochMs = z.number().describe('epoch milliseconds');

export const bottleneckSchema = z.object({
  type: z.enum(['role-queue-growing', 'role-saturated', 'failing-agent', 'missing-skills', 'coordination-overhead']),
  severity: z.enum(['warning', 'critical']),
  message: z.string(),
  role: z.string().optional(),
  agentId: z.string().optional(),
  figures: z.record(z.string(), z.union([z.number(), z.string()])),
});
export const swarmAnalysisSchema = z.object({
  swarmId: z.string(),
  efficiency: fraction,
  bottlenecks: z.array(bottleneckSchema),
  metrics: z.record(z.string(), z.unknown()).optional(),
});

export const healthSchema = z.object({ overall: z.enum(['healthy', 'degraded', 'critical']), score: z.number(), reasons: z.array(z.string()) });
export const predictionSchema = z.object({
  /** `<component>:<severity>`: one live prediction per threshold. */
  id: z.string(),
  issue: z.string(),
  component: z.enum(['cpu', 'memory', 'disk']),
  confidence: fraction,
  /** ms from the latest sample until the trend reaches the threshold. */
  timeToIssue: z.number(),
  severity: z.enum(['warning', 'critical']),
  threshold: percent,
  /** Percentage points per minute. */
  slope: z.number(),
  current: percent,
  r2: z.number(),
  samples: z.number(),
});
export const systemStatusSchema = z.object({
  timestamp: epochMs,
  health: healthSchema,
  performance: z.object({ cpu: percent, memory: percent, disk: percent, load1: z.number() }),
  swarms: z.object({ active: z.number(), agents: z.number() }),
  neural: z.object({ activeNetworks: z.number(), trainingRuns: z.number() }),
  predictions: z.array(predictionSchema),
  /** ms since the engine started. */
  uptime: z.number(),
  measuredAt: epochMs,
});

export const recommendationSchema = z.object({
  id: z.string(),
  severity: z.enum(RECOMMENDATION_SEVERITIES),
  category: z.enum(['performance', 'resource-usage', 'capacity', 'reliability']),
  component: z.string(),
  title: z.string(),
  action: z.string(),
  reason: z.string(),
  measured: z.record(z.string(), z.number()),
});

const estimateSchema = z.object({ cpuIncrease: fraction, memoryIncrease: fraction, latencyIncrease: fraction });
export const optimizeResultSchema = z.object({
  applied: z.array(
    z.object({
      target: z.enum(OPTIMIZE_TARGETS),
      component: z.enum(CONFIG_COMPONENTS),
      setting: z.string(),
      from: z.union([z.number(), z.boolean()]),
      to: z.union([z.number(), z.boolean()]),
      reason: z.string(),
      estimate: estimateSchema,
      version: z.number(),
    }),
  ),
  skipped: z.array(z.object({ target: z.enum(OPTIMIZE_TARGETS), reason: z.string(), setting: z.string().optional(), proposed: z.union([z.number(), z.boolean()]).optional() })),
  strategy: z.enum(OPTIMIZE_STRATEGIES),
  safetyLimits: z.object({ maxCpuIncrease: fraction, maxMemoryIncrease: fraction, maxLatencyIncrease: z.number().optional() }),
  measuredAt: epochMs,
});

export const diffEntrySchema = z.object({ path: z.string(), before: z.unknown(), after: z.unknown() });
const configChangeShape = {
  component: z.enum(CONFIG_COMPONENTS),
  version: z.number(),
  config: z.record(z.string(), z.unknown()),
  diff: z.array(diffEntrySchema),
};
export const configUpdateResultSchema = z.union([
  z.object({ ...configChangeShape, dryRun: z.literal(false).optional(), unchanged: z.literal(true).optional() }),
  z.object({ ...configChangeShape, dryRun: z.literal(true) }),
]);
export const configRollbackResultSchema = z.object({ ...configChangeShape, rolledBackTo: z.number(), unchanged: z.literal(true).optional() });
export const auditEntrySchema = z.object({
  component: z.string(),
  version: z.number(),
  action: z.enum(['defaults', 'update', 'rollback', 'optimize']),
  actor: z.string(),
  at: epochMs,
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()),
  diff: z.array(diffEntrySchema),
  reason: z.string().nullable(),
  rolledBackTo: z.number().nullable(),
});

export const RUN_STATUSES = ['queued', 'running', 'completed', 'stopped', 'failed', 'interrupted'] as const;
/** One training run; accuracies in percent. */
export const runViewSchema = z.object({
  runId: z.string(),
  networkId: z.string(),
  networkType: z.string(),
  /** Built-in dataset id, or `csv:<file name>`. */
  dataset: z.string(),
  csvPath: z.string().optional(),
  config: trainingConfigSchema,
  status: z.enum(RUN_STATUSES),
  /** The run whose critical drift started this one, for automatic retraining. */
  retrainOf: z.string().optional(),
  createdAt: epochMs,
  startedAt: epochMs.nullable(),
  finishedAt: epochMs.nullable(),
  epoch: z.number(),
  totalEpochs: z.number(),
  trainLoss: z.number().nullable(),
  /** Validation loss of the latest epoch (of the kept weights once completed). */
  currentLoss: z.number().nullable(),
  currentAccuracy: percent.nullable(),
  samplesPerSecond: z.number().nullable(),
  finalAccuracy: percent.optional(),
  trainingTime: z.number().optional(),
  bestEpoch: z.number().optional(),
  stoppedEarly: z.boolean().optional(),
  message: z.string().optional(),
});
export const epochRecordSchema = z.object({
  epoch: z.number(),
  trainLoss: z.number(),
  valLoss: z.number(),
  valAccuracy: percent,
  samplesPerSecond: z.number(),
  epochMs: z.number(),
  at: epochMs,
});
export const networkViewSchema = z.object({
  id: z.string(),
  type: z.string(),
  status: z.enum(['training', 'queued', 'ready', 'untrained']),
  /** Baseline (validation) accuracy of the loaded model. */
  accuracy: percent.nullable(),
  trainedAt: epochMs.nullable(),
  runs: z.number(),
  dataset: z.string().nullable(),
  modelId: z.string().nullable(),
  drift: z.object({ severity: z.string(), currentAccuracy: percent, samples: z.number() }).nullable(),
});
export const datasetSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  samples: z.number(),
  features: z.array(z.string()),
  classes: z.array(z.string()),
});
export const trainingStartedSchema = z.object({
  runId: z.string(),
  networkId: z.string(),
  networkType: z.string(),
  dataset: z.string(),
  /** Where the run is now: queued, running, or already ended if it failed at once. */
  status: z.enum(RUN_STATUSES),
});

/** One result schema per command. */
export const RESULT_SCHEMAS = {
  'swarm:create': swarmSchema,
  'swarm:delete': swarmSchema,
  'swarm:scale': swarmSchema,
  'swarm:analyze': swarmAnalysisSchema,
  'task:create': taskSchema,
  'task:cancel': taskSchema,
  'workflow:create': workflowSchema,
  'task:execute:immediate': z.object({ analysis: codeAnalysisSchema, confidence: fraction }),
  'neural:training:start': trainingStartedSchema,
  'neural:training:stop': runViewSchema,
  'system:status:get': systemStatusSchema,
  'system:recommendations:get': z.object({ recommendations: z.array(recommendationSchema), measuredAt: epochMs }),
  'system:optimize': optimizeResultSchema,
  'config:update': configUpdateResultSchema,
  'config:history': z.object({ component: z.enum(CONFIG_COMPONENTS), entries: z.array(auditEntrySchema) }),
  'config:rollback': configRollbackResultSchema,
  subscribe: subscriptionStateSchema.extend({ recovery: recoverySchema.optional() }),
  unsubscribe: subscriptionStateSchema,
  'subscribe:filtered': subscriptionStateSchema,
  'subscription:update': subscriptionStateSchema,
  'configure:batching': z.object({
    batching: z.union([
      z.object({ enabled: z.literal(true), batchSize: z.number(), batchTimeout: z.number(), categories: z.array(z.string()) }),
      z.object({ enabled: z.literal(false) }),
    ]),
  }),
  'configure:rate-limit': z.object({ rateLimits: z.record(z.string(), z.object({ maxPerSecond: z.number() })) }),
  'enable:performance:tracking': z.object({
    tracking: z.union([
      z.object({ enabled: z.literal(true), trackLatency: z.boolean(), trackBandwidth: z.boolean(), reportInterval: z.number() }),
      z.object({ enabled: z.literal(false) }),
    ]),
  }),
  'auth:refresh': z.object({ token: z.string(), expiresAt: epochMs }),
  'auth:permissions:request': z.object({ requestId: z.string(), status: z.literal('pending') }),
  'auth:permissions:decide': z.object({ requestId: z.string(), status: z.enum(['approved', 'denied']) }),
} as const satisfies Record<CommandName, z.ZodType>;

export type CommandResult<C extends CommandName> = z.output<(typeof RESULT_SCHEMAS)[C]>;
export type CommandResults = { [C in CommandName]: CommandResult<C> };

export type SystemStatus = z.output<typeof systemStatusSchema>;
export type Prediction = z.output<typeof predictionSchema>;
export type Recommendation = z.output<typeof recommendationSchema>;
export type SwarmAnalysis = z.output<typeof swarmAnalysisSchema>;
export type Bottleneck = z.output<typeof bottleneckSchema>;
export type OptimizeResult = z.output<typeof optimizeResultSchema>;
export type ConfigUpdateResult = z.output<typeof configUpdateResultSchema>;
export type AuditEntry = z.output<typeof auditEntrySchema>;
export type DiffEntry = z.output<typeof diffEntrySchema>;
export type RunView = z.output<typeof runViewSchema>;
export type RunStatus = RunView['status'];
export type EpochRecord = z.output<typeof epochRecordSchema>;
export type NetworkView = z.output<typeof networkViewSchema>;
export type DatasetSummary = z.output<typeof datasetSummarySchema>;
