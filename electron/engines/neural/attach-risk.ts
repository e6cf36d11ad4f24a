import type { CodeAnalysis, FunctionMetrics } from '../analysis/schema';
import type { FunctionRisk } from './code-risk';

/** The analysis function a graded one describes: same start line, and the same name where several share it. */
function matcher(grades: readonly FunctionRisk[]): (fn: FunctionMetrics) => FunctionRisk | undefined {
  const byLine = new Map<number, FunctionRisk[]>();
  for (const g of grades) byLine.set(g.line, [...(byLine.get(g.line) ?? []), g]);
  return (fn) => {
    const candidates = byLine.get(fn.line);
    if (!candidates?.length) return undefined;
    // The analysis names class members `Class.member`; the risk features name them `member`.
    const at = candidates.findIndex((g) => g.name === fn.name || fn.name.endsWith(`.${g.name}`));
    return candidates.splice(Math.max(0, at), 1)[0];
  };
}

/**
 * Puts the network's risk grade on each analysed function and scores each finding
 * inside a graded function (the innermost one) with that function's concern, so a
 * finding in code the network considers risky ranks higher. Parse errors and
 * top-level findings stay unscored.
 */
export function attachRisk(analysis: CodeAnalysis, grades: readonly FunctionRisk[], modelId: string): CodeAnalysis {
  const match = matcher(grades);
  const graded: { fn: FunctionMetrics; concern: number }[] = [];
  const functions = analysis.functions.map((fn) => {
    const g = match(fn);
    if (!g) return fn;
    const withRisk = { ...fn, risk: { level: g.risk, confidence: g.confidence, modelId } };
    graded.push({ fn: withRisk, concern: g.concern });
    return withRisk;
  });
  const findings = analysis.findings.map((finding) => {
    if (finding.score !== undefined || finding.rule === 'parse-error') return finding;
    let inner: { fn: FunctionMetrics; concern: number } | undefined;
    for (const g of graded) {
      if (finding.line < g.fn.line || finding.line > g.fn.endLine) continue;
      if (!inner || g.fn.endLine - g.fn.line < inner.fn.endLine - inner.fn.line) inner = g;
    }
    return inner ? { ...finding, score: inner.concern } : finding;
  });
  return { ...analysis, functions, findings };
}
