import type { Pt } from './series.svelte';

/**
 * TensorBoard's smoothing: an exponential moving average with weight `w` (0 = raw),
 * debiased so the first points are not pulled towards zero.
 */
export function smooth(points: readonly Pt[], w: number): Pt[] {
  if (w <= 0) return points.slice();
  const out: Pt[] = [];
  let acc = 0;
  let n = 0;
  for (const p of points) {
    if (!Number.isFinite(p.y)) continue;
    acc = acc * w + (1 - w) * p.y;
    n++;
    out.push({ x: p.x, y: acc / (1 - w ** n) });
  }
  return out;
}
