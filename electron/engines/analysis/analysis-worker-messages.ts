import type { MeasuredFunction } from '../neural/datasets/code-features';
import type { AnalyzeOptions, CodeAnalysis } from './schema';

/** Main thread → analysis worker. */
export interface AnalysisRequest {
  id: number;
  input: string;
  options: AnalyzeOptions;
  /** Also measure each function's code-risk features (for a trained code-analyzer network). */
  measure?: boolean;
}

/** Analysis worker → main thread, one per request. */
export type AnalysisResponse = { id: number; ok: true; result: CodeAnalysis; measured?: MeasuredFunction[] } | { id: number; ok: false; message: string };
