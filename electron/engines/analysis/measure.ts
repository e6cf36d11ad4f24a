import { measureSource, type MeasuredFunction } from '../neural/datasets/code-features';

/**
 * Per-function code-risk features of a source, in the layout the code-analyzer
 * network was trained on. Source babel cannot recover from yields none: the
 * analysis reports its parse errors anyway.
 */
export function measureFunctions(input: string, filename = 'input.ts'): MeasuredFunction[] {
  try {
    return measureSource(input, filename);
  } catch {
    return [];
  }
}
