import type { DiffEntry } from '../../../shared/protocol/results';

/** One changed setting: the protocol's dry-run and audit diff entry. */
export type { DiffEntry };

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Settings are flat objects; a setting appearing on one side only is a change too. */
export function diffSettings(before: Record<string, unknown> | null, after: Record<string, unknown>): DiffEntry[] {
  const from = before ?? {};
  const keys = [...new Set([...Object.keys(from), ...Object.keys(after)])];
  return keys.filter((k) => !same(from[k], after[k])).map((k) => ({ path: k, before: from[k], after: after[k] }));
}
