import { z } from 'zod';
import { CHANNELS, SEVERITIES } from './channels';
import { SYSTEM_COMPONENTS, TASK_PRIORITIES } from './filters';
import { isPermission } from './permissions';

/** One schema per client→server command (docs/protocol.md §2, §5–7); payload types are inferred from them. */
const id = z.string().trim().min(1).max(200);
/** Display text (swarm names, titles): any printable text, no control characters. */
const name = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^\p{Cc}]+$/u, 'no control characters');
/**
 * Names the engines use as keys (roles, skills, step ids): an allowlist, so no reserved property
 * name such as `__proto__` ever reaches one.
 */
export const KEY_NAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,63}$/u;
const keyName = z.string().trim().regex(KEY_NAME_PATTERN, 'letters, digits, space, . _ - (at most 64, starting with a letter or digit)');
const permission = z.string().refine(isPermission, { message: 'unknown permission scope' });

export const TOPOLOGIES = ['mesh', 'hierarchical', 'ring', 'star'] as const;
export const OPTIMIZE_STRATEGIES = ['conservative', 'balanced', 'aggressive'] as const;
export const OPTIMIZE_TARGETS = SYSTEM_COMPONENTS;
export const AGENT_STATUSES = ['idle', 'busy', 'offline', 'failed'] as const;

/** Durations: seconds as a number, or '30s' | '15m' | '1h' | '7d'; at least 1 s. Parsed to seconds. */
export const ttlSchema = z
  .union([
    z
      .number()
      .int()
      .min(1)
      .max(10 * 365 * 86_400),
    z.string().regex(/^\d+(?:s|m|h|d)$/, 'a duration such as 30s, 15m, 1h or 7d'),
  ])
  .transform((v, ctx) => {
    if (typeof v === 'number') return v;
    const n = Number(v.slice(0, -1));
    const seconds = n * { s: 1, m: 60, h: 3600, d: 86_400 }[v.slice(-1) as 's' | 'm' | 'h' | 'd'];
    if (seconds < 1 || seconds > 10 * 365 * 86_400) {
      ctx.addIssue({ code: 'custom', message: 'ttl must be between 1 s and 10 years' });
      return z.NEVER;
    }
    return seconds;
  });

export const agentsSpecSchema = z.union([
  z.number().int().min(1),
  z
    .array(z.strictObject({ role: keyName, count: z.number().int().min(1) }))
    .min(1)
    .max(50),
]);

export const swarmCreateSchema = z.strictObject({
  name,
  topology: z.enum(TOPOLOGIES),
  agents: agentsSpecSchema,
});
export const swarmIdSchema = z.strictObject({ swarmId: id });
export const swarmScaleSchema = z.strictObject({ swarmId: id, role: keyName, count: z.number().int().min(0) });
export const swarmAnalyzeSchema = z.strictObject({
  swarmId: id,
  includeMetrics: z.boolean().optional(),
  timeWindow: z
    .number()
    .int()
    .min(1000)
    .max(7 * 86_400_000)
    .optional(),
});

const durationMs = z
  .number()
  .int()
  .min(1)
  .max(30 * 86_400_000);
export const taskCreateSchema = z.strictObject({
  title: name,
  description: z.string().max(5000).optional(),
  priority: z.enum(TASK_PRIORITIES).default('medium'),
  assignee: z.union([z.literal('auto'), id]).default('auto'),
  requirements: z.array(keyName).max(20).optional(),
  estimatedDuration: durationMs.optional(),
  swarmId: id.optional(),
});
export const taskIdSchema = z.strictObject({ taskId: id });

export const workflowStepSchema = z.strictObject({
  id: keyName,
  title: name,
  requirements: z.array(keyName).max(20).optional(),
  dependsOn: z.array(keyName).max(100).optional(),
  estimatedDuration: durationMs.optional(),
});

/** Refuses duplicate step ids, unknown dependencies and cycles, naming the offending step. */
export const workflowCreateSchema = z
  .strictObject({
    name,
    steps: z.array(workflowStepSchema).min(1).max(200),
    swarmId: id.optional(),
    priority: z.enum(TASK_PRIORITIES).default('medium'),
  })
  .superRefine((wf, ctx) => {
    const index = new Map<string, number>();
    wf.steps.forEach((s, i) => {
      if (index.has(s.id)) ctx.addIssue({ code: 'custom', path: ['steps', i, 'id'], message: `duplicate step id '${s.id}'` });
      else index.set(s.id, i);
    });
    wf.steps.forEach((s, i) =>
      (s.dependsOn ?? []).forEach((d, j) => {
        if (!index.has(d)) ctx.addIssue({ code: 'custom', path: ['steps', i, 'dependsOn', j], message: `unknown step '${d}'` });
      }),
    );
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (stepId: string, trail: string[]): string[] | null => {
      if (state.get(stepId) === 'done') return null;
      if (state.get(stepId) === 'visiting') return [...trail.slice(trail.indexOf(stepId)), stepId];
      state.set(stepId, 'visiting');
      const step = wf.steps[index.get(stepId) ?? -1];
      for (const d of step?.dependsOn ?? []) {
        if (!index.has(d)) continue;
        const cycle = visit(d, [...trail, stepId]);
        if (cycle) return cycle;
      }
      state.set(stepId, 'done');
      return null;
    };
    for (const s of wf.steps) {
      const cycle = visit(s.id, []);
      if (cycle) {
        ctx.addIssue({ code: 'custom', path: ['steps', index.get(cycle[0]!) ?? 0, 'dependsOn'], message: `dependency cycle: ${cycle.join(' → ')}` });
        break;
      }
    }
  });

/** Largest code-analysis input, in UTF-8 bytes: 1 MB, the protocol's default frame limit (clients check it before sending). */
export const MAX_ANALYSIS_INPUT_BYTES = 1_000_000;

export const executeImmediateSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('code-analysis'),
    input: z.string(),
    priority: z.enum(TASK_PRIORITIES).optional(),
    filename: z.string().max(300).optional(),
  }),
]);

/** What each training config field accepts; quoted back to callers whose config is refused. */
export const TRAINING_CONFIG_ALLOWED = {
  epochs: 'an integer from 1 to 1000',
  learningRate: 'a number in (0, 1]',
  batchSize: 'an integer from 1 to 4096',
  validation: 'a fraction from 0.05 to 0.5 of the rows held out for validation',
  hiddenLayers: 'optional: 1 to 4 layer sizes, each an integer from 2 to 256',
  activation: "optional: 'relu' or 'tanh'",
  optimizer: "optional: 'adam' or 'sgd'",
  seed: 'optional: an integer from 0 to 4294967295 (same seed, same weights)',
  earlyStopping: 'optional: { patience: integer 1 to 1000 epochs, minDelta?: number 0 to 10 (validation loss) }',
} as const;

/** The one definition of a training config: the dispatcher and the neural engine both validate with it. */
export const trainingConfigSchema = z.strictObject({
  epochs: z.number().int().min(1).max(1000),
  learningRate: z.number().gt(0).max(1),
  batchSize: z.number().int().min(1).max(4096),
  validation: z.number().min(0.05).max(0.5),
  hiddenLayers: z.array(z.number().int().min(2).max(256)).min(1).max(4).optional(),
  activation: z.enum(['relu', 'tanh']).optional(),
  optimizer: z.enum(['adam', 'sgd']).optional(),
  seed: z.number().int().min(0).max(0xffffffff).optional(),
  earlyStopping: z
    .strictObject({
      patience: z.number().int().min(1).max(1000),
      minDelta: z.number().min(0).max(10).default(0),
    })
    .optional(),
});
/** A built-in dataset id, or a CSV file on the server's machine (desktop only). */
export const datasetRefSchema = z.union([z.string().min(1).max(200), z.strictObject({ csvPath: z.string().min(1).max(4096) })]);
export const trainingStartSchema = z.strictObject({
  networkId: z.string().regex(/^[a-zA-Z0-9][\w.-]{0,99}$/, 'letters, digits, . _ - (max 100)'),
  networkType: z.string().min(1).max(100).optional(),
  dataset: datasetRefSchema,
  config: trainingConfigSchema,
});
export const runIdSchema = z.strictObject({ runId: id });

export const emptySchema = z.union([z.strictObject({}), z.undefined(), z.null()]).transform(() => ({}));

export const RECOMMENDATION_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const recommendationsGetSchema = z
  .strictObject({
    focus: z.union([z.string().min(1).max(50), z.array(z.string().min(1).max(50)).max(20)]).optional(),
    severity: z.union([z.enum(RECOMMENDATION_SEVERITIES), z.enum(['low-and-above', 'medium-and-above', 'high-and-above'])]).optional(),
  })
  .optional()
  .transform((v) => v ?? {});

export const systemOptimizeSchema = z.strictObject({
  targets: z.array(z.enum(OPTIMIZE_TARGETS)).min(1),
  strategy: z.enum(OPTIMIZE_STRATEGIES).default('conservative'),
  safetyLimits: z
    .strictObject({
      maxCpuIncrease: z.number().min(0).max(1).optional(),
      maxMemoryIncrease: z.number().min(0).max(1).optional(),
      maxLatencyIncrease: z.number().min(0).max(10).optional(),
    })
    .optional(),
});

export const configUpdateSchema = z.strictObject({
  component: z.string().min(1).max(100),
  settings: z.record(z.string(), z.unknown()),
  dryRun: z.boolean().optional(),
});
export const configHistorySchema = z.strictObject({ component: z.string().min(1).max(100) });
export const configRollbackSchema = z.strictObject({ component: z.string().min(1).max(100), version: z.number().int().min(1) });

const channel = z.enum(CHANNELS);
const MAX_EXCLUSIONS = 20;
/** A position in the server's event log (docs/protocol.md §10). */
export const logPositionSchema = z.strictObject({ epoch: z.string().min(1).max(100), seq: z.number().int().min(0) });
/** subscribe / unsubscribe: 'system' | ['system','swarms'] | { channels } | { categories, filters }. */
export const subscribeSchema = z.union(
  [
    channel,
    z.array(channel).min(1),
    z.strictObject({ channels: z.array(channel).min(1), since: logPositionSchema.optional() }),
    z.strictObject({
      categories: z.array(channel).min(1),
      filters: z.record(z.string(), z.unknown()).optional(),
      /** Exclusions per channel (as `subscription:update` remove adds them), so a whole subscription is restored in one request. */
      exclude: z.record(z.string(), z.array(z.record(z.string(), z.unknown())).max(MAX_EXCLUSIONS)).optional(),
      since: logPositionSchema.optional(),
    }),
  ],
  { error: `expected a channel (${CHANNELS.join(', ')}), a list of them, { channels: [...] } or { categories: [...], filters }` },
);
export const subscribeFilteredSchema = z.strictObject({ category: channel, filter: z.record(z.string(), z.unknown()) });
export const subscriptionUpdateSchema = z.strictObject({
  action: z.enum(['add', 'remove']),
  category: channel,
  filter: z.record(z.string(), z.unknown()).optional(),
});

export const configureBatchingSchema = z.strictObject({
  enabled: z.boolean(),
  batchSize: z.number().int().min(1).max(1000).default(10),
  batchTimeout: z.number().int().min(1).max(60_000).default(1000),
  categories: z.array(z.string().min(1).max(100)).max(100).default([]),
});
export const configureRateLimitSchema = z.record(
  z.string().regex(/^[a-z]+(?::[a-z*-]+)+$/, 'an event name such as system:metrics'),
  z.strictObject({ maxPerSecond: z.number().gt(0).max(1000) }).nullable(),
);
export const performanceTrackingSchema = z.strictObject({
  trackLatency: z.boolean().default(true),
  trackBandwidth: z.boolean().default(true),
  reportInterval: z.number().int().min(1000).max(3_600_000).default(30_000),
  enabled: z.boolean().default(true),
});

export const authRefreshSchema = z.strictObject({ refreshToken: z.string().min(1).max(4096) });
export const permissionsRequestSchema = z.strictObject({
  permissions: z.array(permission).min(1).max(20),
  reason: z.string().trim().min(1).max(500),
});
export const permissionsDecideSchema = z.strictObject({
  requestId: id,
  approve: z.boolean(),
  reason: z.string().max(500).optional(),
});
export const tokenIssueSchema = z.strictObject({
  permissions: z.array(permission).min(1).max(20),
  ttl: ttlSchema.optional(),
  userId: z.string().trim().min(1).max(100).optional(),
});

/** Body of `POST /api/pair`, the unauthenticated endpoint a LAN device trades its code at. */
export const pairRequestSchema = z.strictObject({
  code: z.string().max(32),
  device: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[^\p{Cc}]+$/u, 'no control characters')
    .default('LAN device'),
});

const pongScalar = z.union([z.string().max(256), z.number(), z.boolean(), z.null()]);
/**
 * `pong` is echoed back as sent (docs/protocol.md §6), so it is held to what a latency check needs:
 * nothing, a scalar (strings up to 256 characters) or a flat object of at most 16 such scalars.
 */
export const pongSchema = z.union([z.undefined(), pongScalar, z.record(z.string().max(64), pongScalar).refine((o) => Object.keys(o).length <= 16, 'at most 16 fields')]);
export type PongValue = z.output<typeof pongSchema>;

export { SEVERITIES };
