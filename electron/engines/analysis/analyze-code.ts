import { classifyLines, countLines, LineIndex, LineKind, type Position } from './lines';
import { parseSource, sourceExtension } from './parse';
import type { AnalysisLanguage, AnalyzeOptions, CodeAnalysis, Finding, LineCounts } from './schema';
import { todoFindings } from './todo';
import { walk, type WalkResult } from './walk';

export { codeAnalysisSchema, findingSchema, functionMetricsSchema } from './schema';
export type { AnalysisLanguage, AnalyzeOptions, CodeAnalysis, Finding, FindingRule, FunctionKind, FunctionMetrics, LineCounts, ParseSummary, Severity } from './schema';

const DEFAULT_COMPLEXITY_THRESHOLD = 10;
const DEFAULT_NESTING_THRESHOLD = 4;

/** The language the caller or the filename states, if any. */
function statedLanguage(options: AnalyzeOptions): AnalysisLanguage | undefined {
  if (options.language && options.language !== 'auto') return options.language;
  const ext = sourceExtension(options.filename);
  if (ext === '') return undefined;
  return ['ts', 'tsx', 'mts', 'cts'].includes(ext) ? 'typescript' : 'javascript';
}

/** With nothing parsed (ratio 0) the plugins that happened to win say nothing about the language. */
function detectedLanguage(ratio: number, typescriptSyntax: boolean): AnalysisLanguage {
  if (ratio === 0) return 'unknown';
  return typescriptSyntax ? 'typescript' : 'javascript';
}

/** Position of a problem, pulled back onto the last line when babel reports it past the end. */
function problemPosition(index: LineIndex, offset: number): Position {
  const position = index.position(offset);
  if (position.line <= index.count || index.count === 0) return position;
  const [start, end] = index.bounds(index.count);
  return { line: index.count, column: end - start };
}

/**
 * Fraction of non-blank lines free of parse errors and not cut off, floored so
 * only a clean parse reaches 1.
 */
function parsedRatio(kinds: Uint8Array, problemLines: readonly number[], cutLine: number | undefined): number {
  if (problemLines.length === 0) return 1;
  const affected = new Set(problemLines);
  let nonBlank = 0;
  for (let line = 1; line < kinds.length; line++) {
    if (kinds[line] === LineKind.Blank) continue;
    nonBlank++;
    if (cutLine !== undefined && line >= cutLine) affected.add(line);
  }
  if (nonBlank === 0) return 0;
  return Math.floor((Math.max(0, nonBlank - affected.size) / nonBlank) * 1000) / 1000;
}

const byPosition = (a: Finding, b: Finding): number => a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule);

/** The result for input that could not be analysed: only its lines and parse errors. */
function unanalysed(options: AnalyzeOptions, lines: LineCounts, findings: Finding[]): CodeAnalysis {
  return {
    language: statedLanguage(options) ?? 'unknown',
    lines,
    functions: [],
    maxNesting: 0,
    averageComplexity: 0,
    findings: findings.sort(byPosition),
    parse: { complete: false, errors: findings.length, parsedRatio: 0 },
    confidence: 0,
  };
}

/**
 * Static analysis of JavaScript or TypeScript source: line counts, per-function
 * complexity and nesting, and rule findings. Never throws: input that does not
 * parse, even after repairs, yields parse-error findings and confidence 0.
 */
export function analyzeCode(input: string, options: AnalyzeOptions = {}): CodeAnalysis {
  const index = new LineIndex(input);
  const parsed = parseSource(input, options.language ?? 'auto', options.filename);
  const parseFindings: Finding[] = parsed.problems.map((p) => ({
    rule: 'parse-error',
    severity: 'error',
    message: p.message,
    ...problemPosition(index, p.offset),
  }));
  const kinds = classifyLines(index, parsed.ast?.comments ?? []);
  const lines = countLines(kinds);
  const errors = parsed.problems.length;

  if (!parsed.ast) return unanalysed(options, lines, parseFindings);

  let walked: WalkResult;
  try {
    walked = walk(parsed.ast.program, {
      complexityThreshold: options.complexityThreshold ?? DEFAULT_COMPLEXITY_THRESHOLD,
      nestingThreshold: options.nestingThreshold ?? DEFAULT_NESTING_THRESHOLD,
      lineCount: index.count,
    });
  } catch (error) {
    // Babel parses long member and call chains iteratively; walking them recursively can overflow.
    if (!(error instanceof RangeError)) throw error;
    const tooDeep: Finding = { rule: 'parse-error', severity: 'error', message: 'input is nested too deeply to analyse', line: 1, column: 0 };
    return unanalysed(options, lines, [...parseFindings, tooDeep]);
  }
  const cutLine = parsed.truncatedAt === undefined ? undefined : index.position(parsed.truncatedAt).line;
  const ratio = parsedRatio(
    kinds,
    parseFindings.map((f) => f.line),
    cutLine,
  );
  const total = walked.functions.reduce((sum, fn) => sum + fn.complexity, 0);
  return {
    language: statedLanguage(options) ?? detectedLanguage(ratio, walked.typescript),
    lines,
    functions: walked.functions,
    maxNesting: walked.maxNesting,
    averageComplexity: walked.functions.length ? Math.round((total / walked.functions.length) * 100) / 100 : 0,
    findings: [...parseFindings, ...walked.findings, ...todoFindings(parsed.ast.comments ?? [], index)].sort(byPosition),
    parse: { complete: errors === 0, errors, parsedRatio: ratio },
    confidence: ratio,
  };
}
