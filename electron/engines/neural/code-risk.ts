import { riskClass, type RiskClass } from './datasets/code-analyzer';
import { CODE_FEATURES, measureSource } from './datasets/code-features';
import type { InferenceModel } from './inference';

export interface FunctionRisk {
  name: string;
  line: number;
  /** The network's class: 'low' | 'medium' | 'high' for a code-analyzer model. */
  risk: string;
  confidence: number;
  inferenceMs: number;
  /** What the documented labelling rule says: a free ground-truth label for drift tracking. */
  ruleRisk: RiskClass;
}

/** Whether a model was trained on the code-analyzer features, in the same order. */
export const isCodeRiskModel = (model: InferenceModel): boolean =>
  model.features.length === CODE_FEATURES.length && model.features.every((f, i) => f === CODE_FEATURES[i]);

/** Measures each function of a source file and lets a trained code-analyzer network grade its risk. */
export function scoreSource(model: InferenceModel, source: string, fileName = 'input.ts'): FunctionRisk[] {
  if (!isCodeRiskModel(model)) throw new Error('model was not trained on code-analyzer features');
  return measureSource(source, fileName).map((fn) => {
    const p = model.predict(fn.metrics);
    return { name: fn.name, line: fn.line, risk: p.label, confidence: p.confidence, inferenceMs: p.inferenceMs, ruleRisk: riskClass(fn.metrics) };
  });
}
