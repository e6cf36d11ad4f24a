import { z } from 'zod';
import { ProtocolError, type ErrorDetail } from '../../../shared/protocol/errors';
import { BUILTIN_DATASETS } from './datasets';
import type { DatasetRef } from './datasets/types';

/** What each config field accepts, quoted back to callers whose config is refused. */
export const CONFIG_ALLOWED = {
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

export type TrainingConfig = z.output<typeof trainingConfigSchema>;
export type TrainingConfigInput = z.input<typeof trainingConfigSchema>;

export const datasetRefSchema = z.union([z.string().min(1).max(200), z.strictObject({ csvPath: z.string().min(1).max(4096) })]);

const refuse = (what: string, error: z.ZodError): ProtocolError => {
  const details: ErrorDetail[] = error.issues.map((issue) => {
    const field = issue.path[0];
    const allowed = typeof field === 'string' && field in CONFIG_ALLOWED ? CONFIG_ALLOWED[field as keyof typeof CONFIG_ALLOWED] : undefined;
    const fields = issue.code === 'unrecognized_keys' ? `; allowed fields: ${Object.keys(CONFIG_ALLOWED).join(', ')}` : '';
    return { path: issue.path.join('.'), message: `${issue.message}${allowed ? `; expected ${allowed}` : ''}${fields}` };
  });
  return new ProtocolError('invalid_argument', `invalid ${what}: ${details.map((d) => `${d.path || '(root)'}: ${d.message}`).join('; ')}`, details);
};

/** Validates a training config; refusals are `invalid_argument` with one detail per problem. */
export function parseTrainingConfig(input: unknown): TrainingConfig {
  const result = trainingConfigSchema.safeParse(input);
  if (!result.success) throw refuse('training config', result.error);
  return result.data;
}

export function parseDatasetRef(input: unknown): DatasetRef {
  const result = datasetRefSchema.safeParse(input);
  if (!result.success) throw refuse('dataset (a dataset id or { csvPath })', result.error);
  return result.data;
}

export interface DatasetSummary {
  id: string;
  name: string;
  description: string;
  samples: number;
  features: string[];
  classes: string[];
}

/** The built-in datasets with their measured sizes (loading each once; later calls hit the cache). */
export function listDatasets(): DatasetSummary[] {
  return BUILTIN_DATASETS.map((d) => ({
    id: d.id,
    name: d.name,
    description: d.description,
    samples: d.load().y.length,
    features: [...d.features],
    classes: [...d.classes],
  }));
}
