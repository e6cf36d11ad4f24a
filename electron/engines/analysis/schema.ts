/** The analysis result is part of the wire contract: its schema lives in shared/protocol. */
export * from '../../../shared/protocol/analysis';

export interface AnalyzeOptions {
  /** Its extension steers language detection (`.ts`, `.tsx`, `.js`, …). */
  filename?: string;
  language?: 'auto' | 'javascript' | 'typescript';
  /** Functions above this complexity get a `high-complexity` finding. Default 10. */
  complexityThreshold?: number;
  /** Nesting deeper than this gets a `deep-nesting` finding. Default 4. */
  nestingThreshold?: number;
}
