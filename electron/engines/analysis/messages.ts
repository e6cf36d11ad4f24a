import type { AnalyzeOptions, CodeAnalysis } from './schema';

/** Main thread → analysis worker. */
export interface AnalysisRequest {
  id: number;
  input: string;
  options: AnalyzeOptions;
}

/** Analysis worker → main thread, one per request. */
export type AnalysisResponse = { id: number; ok: true; result: CodeAnalysis } | { id: number; ok: false; message: string };
