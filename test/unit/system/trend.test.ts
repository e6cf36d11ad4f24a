import { describe, expect, it } from 'vitest';
import { fitConfidence, fitLine, timeToReach, valueAt } from '../../../electron/engines/system/trend';
import { createRandom } from '../../../electron/engines/random';

const T0 = 1_700_000_000_000;
/** v = 20 + 0.5 per minute, one point every 5 s. */
const line = (n: number, noise = 0, seed = 'x') => {
  const random = createRandom(seed);
  return Array.from({ length: n }, (_, i) => ({ t: T0 + i * 5000, v: 20 + (0.5 * i * 5000) / 60_000 + random.normal(0, noise) }));
};

describe('trend model', () => {
  it('recovers slope and intercept exactly on a clean series', () => {
    const fit = fitLine(line(60))!;
    expect(fit.slope * 60_000).toBeCloseTo(0.5, 10);
    expect(valueAt(fit, T0)).toBeCloseTo(20, 9);
    expect(fit.r2).toBeCloseTo(1, 12);
    expect(fit.n).toBe(60);
    expect(fit.span).toBe(59 * 5000);
  });

  it('projects the exact time until a threshold is crossed', () => {
    const points = line(60);
    const fit = fitLine(points)!;
    const last = points.at(-1)!.t;
    // 20 + 0.5/min reaches 30 after 20 min from T0.
    expect(timeToReach(fit, 30, last)).toBeCloseTo(T0 + 20 * 60_000 - last, 3);
    expect(timeToReach(fit, 10, last)).toBe(0);
  });

  it('gives no crossing for a flat or falling trend', () => {
    const flat = fitLine(Array.from({ length: 10 }, (_, i) => ({ t: T0 + i * 1000, v: 42 })))!;
    expect(flat.slope).toBe(0);
    expect(flat.r2).toBe(1);
    expect(timeToReach(flat, 50, T0)).toBeNull();
    const falling = fitLine([
      { t: 0, v: 10 },
      { t: 1, v: 9 },
      { t: 2, v: 8 },
    ])!;
    expect(falling.slope).toBeCloseTo(-1);
    expect(timeToReach(falling, 20, 2)).toBeNull();
  });

  it('refuses what cannot define a line', () => {
    expect(fitLine([])).toBeNull();
    expect(fitLine([{ t: 1, v: 1 }])).toBeNull();
    expect(
      fitLine([
        { t: 1, v: 1 },
        { t: 1, v: 2 },
      ]),
    ).toBeNull();
  });

  it('is more confident in a clean fit than a noisy one, and with more samples', () => {
    const clean = fitConfidence(fitLine(line(60))!);
    const noisy = fitConfidence(fitLine(line(60, 5))!);
    const short = fitConfidence(fitLine(line(12))!);
    expect(noisy).toBeLessThan(clean);
    expect(short).toBeLessThan(clean);
    expect(clean).toBeGreaterThan(0.8);
    expect(clean).toBeLessThanOrEqual(1);
    expect(noisy).toBeGreaterThanOrEqual(0);
  });

  it('stays precise with epoch-scale times', () => {
    const points = Array.from({ length: 100 }, (_, i) => ({ t: T0 + i, v: 1e-6 * i }));
    expect(fitLine(points)!.slope).toBeCloseTo(1e-6, 12);
  });
});
