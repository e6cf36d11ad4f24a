import { describe, expect, it } from 'vitest';
import { listDatasets } from '../../../electron/engines/neural/config';
import { BUILTIN_DATASETS, resolveDataset } from '../../../electron/engines/neural/datasets';
import { codeAnalyzerDataset, riskClass } from '../../../electron/engines/neural/datasets/code-analyzer';
import { CODE_FEATURES, measureSource } from '../../../electron/engines/neural/datasets/code-features';
import { irisDataset } from '../../../electron/engines/neural/datasets/iris';
import { spiralsDataset } from '../../../electron/engines/neural/datasets/spirals';

describe('built-in datasets', () => {
  it('iris is the real Fisher data: 150 rows, 50 per species, known rows and column sums', () => {
    const { x, y } = irisDataset.load();
    expect(x).toHaveLength(150);
    expect([0, 1, 2].map((c) => y.filter((v) => v === c).length)).toEqual([50, 50, 50]);
    expect(x[0]).toEqual([5.1, 3.5, 1.4, 0.2]);
    expect(y[0]).toBe(0);
    expect(x[149]).toEqual([5.9, 3.0, 5.1, 1.8]);
    expect(irisDataset.classes[y[149]!]).toBe('virginica');
    const sums = [0, 1, 2, 3].map((f) => Math.round(x.reduce((s, row) => s + row[f]!, 0) * 10) / 10);
    expect(sums).toEqual([876.5, 458.6, 563.7, 179.9]);
  });

  it('code-analyzer rows come from measuring the bundled corpus', () => {
    const { x, y } = codeAnalyzerDataset.load();
    expect(x.length).toBeGreaterThan(150);
    expect(x.every((row) => row.length === CODE_FEATURES.length)).toBe(true);
    const counts = [0, 1, 2].map((c) => y.filter((v) => v === c).length);
    expect(Math.min(...counts)).toBeGreaterThan(20);
  });

  it('measures complexity, nesting and findings with babel', () => {
    // cyclomatic 6 = 1 + if + && + for-of + if + catch; nesting 4 = try > if > for > if
    const [outer, inner] = measureSource(
      `function risky(a, b) {
        try { if (a && b) { for (const k of a) { if (k) eval(k); } } } catch (e) {}
        return [1].map((v) => v + 1);
      }`,
      'x.js',
    );
    expect(outer!.name).toBe('risky');
    expect(outer!.metrics).toMatchObject({ params: 2, cyclomatic: 6, maxNesting: 4, emptyCatches: 1, dynamicCode: 1, tryBlocks: 1, loops: 1, nestedFunctions: 1 });
    expect(inner!.metrics).toMatchObject({ params: 1, cyclomatic: 1, maxNesting: 0 });
  });

  it('labels by the documented rule', () => {
    const base = {
      params: 1,
      lines: 5,
      statements: 3,
      cyclomatic: 1,
      maxNesting: 0,
      calls: 0,
      loops: 0,
      returns: 1,
      tryBlocks: 0,
      emptyCatches: 0,
      dynamicCode: 0,
      nestedFunctions: 0,
    };
    expect(riskClass(base)).toBe('low');
    expect(riskClass({ ...base, cyclomatic: 4, maxNesting: 1 })).toBe('medium');
    expect(riskClass({ ...base, cyclomatic: 10, maxNesting: 3 })).toBe('high');
    expect(riskClass({ ...base, cyclomatic: 3, maxNesting: 1, dynamicCode: 1 })).toBe('high');
    expect(riskClass({ ...base, cyclomatic: 3, dynamicCode: 1 })).toBe('medium');
  });

  it('two-spirals is deterministic', () => {
    const a = spiralsDataset.load();
    expect(a.x).toHaveLength(400);
    expect(a.y.filter((v) => v === 1)).toHaveLength(200);
  });

  it('lists datasets with measured sample counts and refuses unknown ids', () => {
    const list = listDatasets();
    expect(list.map((d) => d.id)).toEqual(BUILTIN_DATASETS.map((d) => d.id));
    expect(list.find((d) => d.id === 'iris')).toMatchObject({ samples: 150, classes: ['setosa', 'versicolor', 'virginica'] });
    expect(() => resolveDataset('mnist')).toThrow(/allowed: iris, code-analyzer, two-spirals/);
  });
});
