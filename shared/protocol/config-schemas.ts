import { z } from 'zod';

/**
 * Every configurable component: a strict zod schema of its settings, each with its
 * default. Lives in shared/ so the renderer's settings forms validate with it too.
 */
const ms = (min: number, max: number) => z.number().int().min(min).max(max);
const percent = z.number().min(1).max(100);

/** A warning level must sit below its critical level; the issue names the warning field. */
function ordered(pairs: [string, string][]) {
  return (value: Record<string, unknown>, ctx: z.RefinementCtx) => {
    for (const [warning, critical] of pairs) {
      if ((value[warning] as number) >= (value[critical] as number)) {
        ctx.addIssue({ code: 'custom', path: [warning], message: `${warning} must be below ${critical} (${String(value[critical])})` });
      }
    }
  };
}

export const systemSettingsSchema = z
  .strictObject({
    cpuWarning: percent.default(80),
    cpuCritical: percent.default(95),
    memoryWarning: percent.default(85),
    memoryCritical: percent.default(95),
    diskWarning: percent.default(85),
    diskCritical: percent.default(95),
    /** Percentage points a value must fall below a threshold before its alert clears. */
    alertHysteresis: z.number().min(0).max(50).default(5),
    /** How long a crossing (or a clearing) must last before it is announced. */
    alertMinDurationMs: ms(0, 600_000).default(15_000),
    sampleIntervalMs: ms(1000, 60_000).default(5000),
    predictionWindowMs: ms(60_000, 3_600_000).default(900_000),
    predictionHorizonMs: ms(60_000, 86_400_000).default(3_600_000),
    predictionMinConfidence: z.number().min(0).max(1).default(0.6),
    historyRetentionMs: ms(3_600_000, 30 * 86_400_000).default(86_400_000),
  })
  .superRefine(
    ordered([
      ['cpuWarning', 'cpuCritical'],
      ['memoryWarning', 'memoryCritical'],
      ['diskWarning', 'diskCritical'],
    ]),
  );

export const apiSettingsSchema = z.strictObject({
  slowRequestThresholdMs: ms(1, 600_000).default(1000),
  rateLimitPerMinute: z.number().int().min(1).max(1_000_000).default(1200),
});

export const swarmsSettingsSchema = z.strictObject({
  maxAgentsPerSwarm: z.number().int().min(1).max(100_000).default(1000),
  /** What clients can make the engine hold at once; past each, creating more is refused with `conflict`. */
  maxSwarms: z.number().int().min(1).max(100_000).default(1000),
  maxAgents: z.number().int().min(1).max(1_000_000).default(20_000),
  /** Queued and running tasks. */
  maxOpenTasks: z.number().int().min(1).max(1_000_000).default(100_000),
  maxRunningWorkflows: z.number().int().min(1).max(100_000).default(1000),
  /** Chance that an agent fails in a simulated minute. */
  failureRate: z.number().min(0).max(1).default(0.02),
  optimizerEnabled: z.boolean().default(true),
});

export const neuralSettingsSchema = z
  .strictObject({
    maxConcurrentRuns: z.number().int().min(1).max(64).default(2),
    /** Accuracy points below baseline that count as drift. */
    driftWarningGap: z.number().min(0).max(100).default(5),
    driftCriticalGap: z.number().min(0).max(100).default(15),
    autoRetrain: z.boolean().default(false),
  })
  .superRefine(ordered([['driftWarningGap', 'driftCriticalGap']]));

export const deliverySettingsSchema = z.strictObject({
  defaultBatchSize: z.number().int().min(1).max(1000).default(10),
  defaultBatchTimeout: ms(1, 60_000).default(1000),
});

export const LOAD_BALANCER_ALGORITHMS = ['round-robin', 'least-connections', 'weighted-round-robin', 'ml-predictive'] as const;
export const loadBalancerSettingsSchema = z.strictObject({
  algorithm: z.enum(LOAD_BALANCER_ALGORITHMS).default('round-robin'),
  healthCheckInterval: ms(1000, 3_600_000).default(10_000),
  autoScaling: z.boolean().default(false),
});

export const CONFIG_SCHEMAS = {
  system: systemSettingsSchema,
  api: apiSettingsSchema,
  swarms: swarmsSettingsSchema,
  neural: neuralSettingsSchema,
  delivery: deliverySettingsSchema,
  'load-balancer': loadBalancerSettingsSchema,
} as const;

export type ConfigComponent = keyof typeof CONFIG_SCHEMAS;
export type ConfigOf<C extends ConfigComponent> = z.output<(typeof CONFIG_SCHEMAS)[C]>;
export type SystemSettings = ConfigOf<'system'>;
export type ApiSettings = ConfigOf<'api'>;
export type SwarmsSettings = ConfigOf<'swarms'>;
export type NeuralSettings = ConfigOf<'neural'>;

export const CONFIG_COMPONENTS = Object.keys(CONFIG_SCHEMAS) as ConfigComponent[];

export function isConfigComponent(value: string): value is ConfigComponent {
  return Object.hasOwn(CONFIG_SCHEMAS, value);
}

export function defaultsOf<C extends ConfigComponent>(component: C): ConfigOf<C> {
  return CONFIG_SCHEMAS[component].parse({}) as ConfigOf<C>;
}
