/** Least-squares trend model over recent samples: pure functions, no state. */
export interface Point {
  t: number;
  v: number;
}

export interface LinearFit {
  /** Units of v per unit of t. */
  slope: number;
  /** The line passes through (meanT, meanV); kept instead of an intercept at t = 0 for precision with epoch times. */
  meanT: number;
  meanV: number;
  /** Coefficient of determination, 0–1. */
  r2: number;
  n: number;
  /** Time span the points cover. */
  span: number;
}

/** Fits v = a + b·t; null when the points cannot define a line (fewer than two, or all at one time). */
export function fitLine(points: readonly Point[]): LinearFit | null {
  const n = points.length;
  if (n < 2) return null;
  let sumT = 0;
  let sumV = 0;
  for (const p of points) {
    sumT += p.t;
    sumV += p.v;
  }
  const meanT = sumT / n;
  const meanV = sumV / n;
  let stt = 0;
  let stv = 0;
  let svv = 0;
  let minT = Infinity;
  let maxT = -Infinity;
  for (const p of points) {
    const dt = p.t - meanT;
    const dv = p.v - meanV;
    stt += dt * dt;
    stv += dt * dv;
    svv += dv * dv;
    minT = Math.min(minT, p.t);
    maxT = Math.max(maxT, p.t);
  }
  if (stt === 0) return null;
  const slope = stv / stt;
  // A flat series is explained perfectly by a flat line.
  const r2 = svv === 0 ? 1 : Math.min(1, (stv * stv) / (stt * svv));
  return { slope, meanT, meanV, r2, n, span: maxT - minT };
}

export function valueAt(fit: LinearFit, t: number): number {
  return fit.meanV + fit.slope * (t - fit.meanT);
}

/**
 * Time from `from` until the fitted line reaches `threshold` going upward; 0 when
 * the line is already at or past it, null when the trend is flat or falling.
 */
export function timeToReach(fit: LinearFit, threshold: number, from: number): number | null {
  if (!(fit.slope > 0)) return null;
  const crossing = fit.meanT + (threshold - fit.meanV) / fit.slope;
  return Math.max(0, crossing - from);
}

/**
 * How far to trust the projection: the fit's R² scaled by how much evidence there is
 * (n / (n + 10): 10 points give half weight, 90 points 0.9).
 */
export function fitConfidence(fit: LinearFit): number {
  return fit.r2 * (fit.n / (fit.n + 10));
}
