import { createRandom } from '../../random';
import type { Dataset, LoadedData } from './dataset-types';

const POINTS_PER_ARM = 200;
const TURNS = 1.5;
const NOISE = 0.03;

let cached: LoadedData | undefined;

/** Two interleaved spirals, generated from a fixed seed so every load is identical. */
function generate(): LoadedData {
  const random = createRandom('two-spirals');
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < POINTS_PER_ARM; i++) {
    const t = (i + 1) / POINTS_PER_ARM;
    const angle = t * TURNS * 2 * Math.PI;
    for (let arm = 0; arm < 2; arm++) {
      const a = angle + arm * Math.PI;
      x.push([t * Math.cos(a) + random.normal(0, NOISE), t * Math.sin(a) + random.normal(0, NOISE)]);
      y.push(arm);
    }
  }
  return { x, y };
}

export const spiralsDataset: Dataset = {
  id: 'two-spirals',
  name: 'Two spirals (synthetic)',
  description: `Synthetic: ${2 * POINTS_PER_ARM} points on two interleaved ${TURNS}-turn spirals with Gaussian noise, generated from a fixed seed. Not linearly separable.`,
  features: ['x', 'y'],
  classes: ['arm-a', 'arm-b'],
  defaultHidden: [32, 32],
  load: () => (cached ??= generate()),
};
