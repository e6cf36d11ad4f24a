/** Defensive readers for loosely-typed payloads (events carry more fields than the contract requires). */
export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function get(o: unknown, path: string): unknown {
  let cur: unknown = o;
  for (const key of path.split('.')) {
    if (!isObj(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

/** The first finite number among the paths. */
export function numAt(o: unknown, ...paths: string[]): number | undefined {
  for (const p of paths) {
    const v = p === '' ? o : get(o, p);
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return undefined;
}

export function strAt(o: unknown, ...paths: string[]): string | undefined {
  for (const p of paths) {
    const v = get(o, p);
    if (typeof v === 'string' && v) return v;
  }
  return undefined;
}

export function arrAt<T = unknown>(o: unknown, ...paths: string[]): T[] {
  for (const p of paths) {
    const v = p === '' ? o : get(o, p);
    if (Array.isArray(v)) return v as T[];
  }
  return [];
}

/** A percent from a value that may be a 0–1 ratio or already 0–100. */
export function asPercent(v: number | undefined): number | undefined {
  if (v === undefined) return undefined;
  return v <= 1 && v >= 0 ? v * 100 : v;
}
