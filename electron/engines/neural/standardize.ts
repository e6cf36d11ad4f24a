/** Per-feature mean and standard deviation, fitted on the training split only. */
export interface Standardization {
  mean: number[];
  std: number[];
}

export function fitStandardization(rows: readonly (readonly number[])[], indices: readonly number[]): Standardization {
  const width = rows[indices[0] ?? 0]?.length ?? 0;
  const mean = new Array<number>(width).fill(0);
  const std = new Array<number>(width).fill(0);
  for (const i of indices) rows[i]!.forEach((v, f) => (mean[f]! += v));
  for (let f = 0; f < width; f++) mean[f]! /= Math.max(1, indices.length);
  for (const i of indices) rows[i]!.forEach((v, f) => (std[f]! += (v - mean[f]!) ** 2));
  // A constant feature gets std 1 so it maps to 0 rather than dividing by zero.
  for (let f = 0; f < width; f++) std[f] = Math.sqrt(std[f]! / Math.max(1, indices.length)) || 1;
  return { mean, std };
}

export function standardize(row: readonly number[], s: Standardization): Float64Array {
  if (row.length !== s.mean.length) throw new RangeError(`expected ${s.mean.length} features, got ${row.length}`);
  const out = new Float64Array(row.length);
  for (let f = 0; f < row.length; f++) out[f] = (row[f]! - s.mean[f]!) / s.std[f]!;
  return out;
}
