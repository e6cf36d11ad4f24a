import { describe, expect, it } from 'vitest';
import { smooth } from '../../renderer/src/lib/smoothing';

describe('loss-curve smoothing', () => {
  const pts = [1, 0.2, 0.9, 0.1, 0.8].map((y, i) => ({ x: i + 1, y }));

  it('weight 0 leaves the curve as it is', () => {
    expect(smooth(pts, 0)).toEqual(pts);
  });

  it('is debiased: the first point stays where it is, a constant stays constant', () => {
    expect(smooth(pts, 0.9)[0]).toEqual({ x: 1, y: 1 });
    for (const p of smooth(
      [3, 3, 3].map((y, i) => ({ x: i, y })),
      0.6,
    ))
      expect(p.y).toBeCloseTo(3, 10);
  });

  it('damps the zig-zag of a noisy curve', () => {
    const range = (ys: number[]) => Math.max(...ys) - Math.min(...ys);
    const raw = pts.slice(1).map((p) => p.y);
    const smoothed = smooth(pts, 0.8)
      .slice(1)
      .map((p) => p.y);
    expect(range(smoothed)).toBeLessThan(range(raw) / 2);
  });
});
