import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CODE_FEATURES, measureSource, toVector, type FunctionMetrics } from './code-features';
import { locateData } from './locate';
import type { Dataset, LoadedData } from './dataset-types';

export const RISK_CLASSES = ['low', 'medium', 'high'] as const;
export type RiskClass = (typeof RISK_CLASSES)[number];

/** Functions shorter than this are skipped: one-line callbacks would swamp the 'low' class. */
const MIN_LINES = 3;

/**
 * The labelling rule, applied to measured metrics (so labels are noise-free):
 *   score = cyclomatic + 2·maxNesting + 3·emptyCatches + 5·dynamicCode + ⌊lines / 15⌋
 *   high   if score ≥ 16, or if the function runs dynamic code (eval, new Function, with) and score ≥ 10
 *   medium if score ≥ 6
 *   low    otherwise
 * The weighted sum, the step in `lines` and the dynamic-code interaction make a
 * boundary that no single feature separates.
 */
export function riskScore(m: FunctionMetrics): number {
  return m.cyclomatic + 2 * m.maxNesting + 3 * m.emptyCatches + 5 * m.dynamicCode + Math.floor(m.lines / 15);
}

export function riskClass(m: FunctionMetrics): RiskClass {
  const score = riskScore(m);
  if (score >= 16 || (m.dynamicCode > 0 && score >= 10)) return 'high';
  return score >= 6 ? 'medium' : 'low';
}

let cached: LoadedData | undefined;

function build(): LoadedData {
  const dir = locateData(['resources/corpus', 'corpus']);
  const x: number[][] = [];
  const y: number[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => /\.[cm]?[jt]s$/.test(f))
    .sort()) {
    for (const fn of measureSource(readFileSync(join(dir, file), 'utf8'), file)) {
      if (fn.metrics.lines < MIN_LINES) continue;
      x.push(toVector(fn.metrics));
      y.push(RISK_CLASSES.indexOf(riskClass(fn.metrics)));
    }
  }
  return { x, y };
}

export const codeAnalyzerDataset: Dataset = {
  id: 'code-analyzer',
  name: 'Code risk (bundled corpus)',
  description:
    'One row per function of the bundled JS/TS corpus (resources/corpus), measured with @babel/parser: size, cyclomatic complexity, nesting, calls, loops, try/empty catch, dynamic code. Label: documented risk rule (low/medium/high).',
  features: [...CODE_FEATURES],
  classes: [...RISK_CLASSES],
  defaultHidden: [24, 12],
  load: () => (cached ??= build()),
};
