import { describe, expect, it } from 'vitest';
import { encodeArtifact } from '../../../electron/engines/neural/artifact';
import { scoreSource } from '../../../electron/engines/neural/code-risk';
import { parseTrainingConfig } from '../../../electron/engines/neural/config';
import { codeAnalyzerDataset } from '../../../electron/engines/neural/datasets/code-analyzer';
import { irisDataset } from '../../../electron/engines/neural/datasets/iris';
import { InferenceModel } from '../../../electron/engines/neural/inference';
import { train } from '../../../electron/engines/neural/train';
import { RISKY } from '../../helpers/neural-fixtures';

const CLEAN = `export function add(a: number, b: number): number {
  const sum = a + b;
  return sum;
}`;

async function modelFor(dataset: typeof irisDataset): Promise<InferenceModel> {
  const outcome = await train(dataset, parseTrainingConfig({ epochs: 40, learningRate: 0.01, batchSize: 16, validation: 0.2, seed: 3 }));
  if (outcome.status !== 'completed') throw new Error('stopped');
  return InferenceModel.fromBytes(encodeArtifact(outcome.artifact));
}

describe('scoreSource', () => {
  it('grades functions of new code with a trained code-analyzer network', async () => {
    const model = await modelFor(codeAnalyzerDataset);
    const [clean] = scoreSource(model, CLEAN, 'clean.ts');
    const [risky] = scoreSource(model, RISKY, 'risky.js');
    expect(clean).toMatchObject({ name: 'add', line: 1, risk: 'low', ruleRisk: 'low' });
    expect(risky).toMatchObject({ name: 'run', risk: 'high', ruleRisk: 'high' });
    expect(risky!.confidence).toBeGreaterThan(0.5);
  });

  it('refuses a model trained on other features', async () => {
    const iris = await modelFor(irisDataset);
    expect(() => scoreSource(iris, CLEAN)).toThrow(/code-analyzer/);
  });
});
