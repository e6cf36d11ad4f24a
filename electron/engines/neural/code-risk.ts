import { riskClass, type RiskClass } from './datasets/code-analyzer';
import { CODE_FEATURES, measureSource, type MeasuredFunction } from './datasets/code-features';
import type { InferenceModel } from './inference';

export interface FunctionRisk {
  name: string;
  line: number;
  /** The network's class: 'low' | 'medium' | 'high' for a code-analyzer model. */
  risk: string;
  confidence: number;
  /** Probability (0–1) the network gives to any class but 'low': how much a finding inside this function matters. */
  concern: number;
  inferenceMs: number;
  /** What the documented labelling rule says: a free ground-truth label for drift tracking. */
  ruleRisk: RiskClass;
}

/** Whether a model was trained on the code-analyzer features, in the same order. */
export const isCodeRiskModel = (model: InferenceModel): boolean => model.features.length === CODE_FEATURES.length && model.features.every((f, i) => f === CODE_FEATURES[i]);

/** Lets a trained code-analyzer network grade the risk of already measured functions. */
export function gradeFunctions(model: InferenceModel, functions: readonly MeasuredFunction[]): FunctionRisk[] {
  if (!isCodeRiskModel(model)) throw new Error('model was not trained on code-analyzer features');
  const low = model.classes.indexOf('low');
  return functions.map((fn) => {
    const p = model.predict(fn.metrics);
    const concern = low < 0 ? 1 : 1 - p.probabilities[low]!;
    return { name: fn.name, line: fn.line, risk: p.label, confidence: p.confidence, concern, inferenceMs: p.inferenceMs, ruleRisk: riskClass(fn.metrics) };
  });
}

/** Measures each function of a source file and lets a trained code-analyzer network grade its risk. */
export function scoreSource(model: InferenceModel, source: string, fileName = 'input.ts'): FunctionRisk[] {
  return gradeFunctions(model, measureSource(source, fileName));
}
