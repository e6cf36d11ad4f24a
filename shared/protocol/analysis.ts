import { z } from 'zod';

/** The result of one code analysis (`task:execute:immediate`, `POST /api/analysis`); the types below are inferred from these schemas. */

export const FINDING_RULES = ['no-eval', 'empty-catch', 'explicit-any', 'unreachable-code', 'todo-comment', 'high-complexity', 'deep-nesting', 'parse-error'] as const;

export const FUNCTION_KINDS = ['function', 'arrow', 'method', 'getter', 'setter', 'constructor'] as const;

const count = z.number().int().min(0);
const line = z.number().int().min(1);
const ratio = z.number().min(0).max(1);

export const findingSchema = z.object({
  rule: z.enum(FINDING_RULES),
  severity: z.enum(['info', 'warning', 'error']),
  message: z.string(),
  /** 1-based. */
  line,
  /** 0-based, in UTF-16 code units as babel counts them. */
  column: count,
  /** Likelihood (0–1) that the finding is a real problem, set by a scoring hook; absent when unscored. */
  score: ratio.optional(),
});

export const functionMetricsSchema = z.object({
  /** Declared name, else inferred from the binding, property or method; `Class.member` for class members. */
  name: z.string(),
  kind: z.enum(FUNCTION_KINDS),
  line,
  column: count,
  endLine: line,
  params: count,
  lines: count,
  /** McCabe cyclomatic complexity of this function's own body (nested functions count separately). */
  complexity: z.number().int().min(1),
  /** Deepest control-structure nesting inside the function body. */
  maxNesting: count,
  /** Set when a trained code-analyzer network graded the function: its risk class and the probability of that class. */
  risk: z.object({ level: z.string(), confidence: ratio, modelId: z.string() }).optional(),
});

export const lineCountsSchema = z.object({ total: count, code: count, comment: count, blank: count });

export const parseSummarySchema = z.object({
  complete: z.boolean(),
  errors: count,
  /** Fraction of non-blank lines untouched by parse errors. */
  parsedRatio: ratio,
});

export const codeAnalysisSchema = z.object({
  /** `unknown` only when nothing parsed and neither the options nor the filename say. */
  language: z.enum(['javascript', 'typescript', 'unknown']),
  lines: lineCountsSchema,
  functions: z.array(functionMetricsSchema),
  /** Deepest control-structure nesting in any function or in top-level code. */
  maxNesting: count,
  averageComplexity: z.number().min(0),
  findings: z.array(findingSchema),
  parse: parseSummarySchema,
  /** How far the analysis can be trusted: 1 for a clean parse, 0 when nothing parsed. */
  confidence: ratio,
});

export type Finding = z.infer<typeof findingSchema>;
export type FindingRule = Finding['rule'];
export type Severity = Finding['severity'];
export type FunctionMetrics = z.infer<typeof functionMetricsSchema>;
export type FunctionKind = FunctionMetrics['kind'];
export type LineCounts = z.infer<typeof lineCountsSchema>;
export type ParseSummary = z.infer<typeof parseSummarySchema>;
export type CodeAnalysis = z.infer<typeof codeAnalysisSchema>;
export type AnalysisLanguage = CodeAnalysis['language'];
