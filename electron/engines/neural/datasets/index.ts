import { ProtocolError } from '../../../../shared/protocol/errors';
import { codeAnalyzerDataset } from './code-analyzer';
import { csvDataset } from './csv';
import { irisDataset } from './iris';
import { spiralsDataset } from './spirals';
import type { Dataset, DatasetRef } from './dataset-types';

export const BUILTIN_DATASETS: readonly Dataset[] = [irisDataset, codeAnalyzerDataset, spiralsDataset];

export const BUILTIN_DATASET_IDS = BUILTIN_DATASETS.map((d) => d.id);

/** A built-in dataset by id or a CSV file by path; unknown ids are refused naming the allowed ones. */
export function resolveDataset(ref: DatasetRef): Dataset {
  if (typeof ref !== 'string') return csvDataset(ref.csvPath);
  const found = BUILTIN_DATASETS.find((d) => d.id === ref);
  if (!found) {
    throw new ProtocolError('invalid_argument', `unknown dataset "${ref}"; allowed: ${BUILTIN_DATASET_IDS.join(', ')} or { csvPath }`, {
      allowed: BUILTIN_DATASET_IDS,
    });
  }
  return found;
}
