import type { Random } from '../random';

/** Fisher–Yates shuffle in place, driven by the seeded random. */
export function shuffle<T>(items: T[] | Int32Array, random: Random): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    const t = items[i]!;
    items[i] = items[j]!;
    items[j] = t;
  }
}

/**
 * Stratified train/validation split: each class contributes `fraction` of its rows
 * to validation (at least one when it has two or more), so small classes are never
 * missing from either side.
 */
export function stratifiedSplit(y: readonly number[], fraction: number, random: Random): { train: number[]; val: number[] } {
  const byClass = new Map<number, number[]>();
  y.forEach((label, i) => {
    const list = byClass.get(label) ?? [];
    list.push(i);
    byClass.set(label, list);
  });
  const train: number[] = [];
  const val: number[] = [];
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const rows = byClass.get(label)!;
    shuffle(rows, random);
    const take = rows.length < 2 ? 0 : Math.min(rows.length - 1, Math.max(1, Math.round(rows.length * fraction)));
    val.push(...rows.slice(0, take));
    train.push(...rows.slice(take));
  }
  if (train.length === 0 || val.length === 0) throw new RangeError('too few rows to split into training and validation sets');
  return { train, val };
}
