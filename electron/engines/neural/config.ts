import type { z } from 'zod';
import { datasetRefSchema, TRAINING_CONFIG_ALLOWED as CONFIG_ALLOWED, trainingConfigSchema } from '../../../shared/protocol/commands';
import { ProtocolError, type ErrorDetail } from '../../../shared/protocol/errors';
import { BUILTIN_DATASETS } from './datasets';
import type { DatasetRef } from './datasets/dataset-types';
import type { DatasetSummary } from '../../../shared/protocol/results';

export type TrainingConfig = z.output<typeof trainingConfigSchema>;
export type TrainingConfigInput = z.input<typeof trainingConfigSchema>;

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

export type { DatasetSummary };

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
