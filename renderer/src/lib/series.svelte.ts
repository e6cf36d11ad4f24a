/** Bounded time series for charts: pre-shaped {x, y} points, pruned by age and count. */
export interface Pt {
  x: number;
  y: number;
}

export class LiveSeries {
  /** Plain array (not deep-reactive): charts read it when `rev` changes. */
  points: Pt[] = [];
  rev = $state(0);
  last = $state<Pt | null>(null);

  constructor(
    readonly maxAgeMs: number,
    readonly maxPoints = 5000,
  ) {}

  /** Adds a point; `quiet` defers telling readers until `touch()` (to batch many points into one redraw). */
  push(x: number, y: number, quiet = false): void {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    const pts = this.points;
    const tail = pts[pts.length - 1];
    if (tail && x < tail.x) {
      // out of order (e.g. replayed): insert in place to keep the series sorted
      let i = pts.length - 1;
      while (i > 0 && pts[i - 1]!.x > x) i--;
      pts.splice(i, 0, { x, y });
    } else if (tail && x === tail.x) {
      tail.y = y;
    } else {
      pts.push({ x, y });
    }
    this.prune(x);
    if (!quiet) this.touch();
  }

  /** Tells readers the points changed. */
  touch(): void {
    this.last = this.points[this.points.length - 1] ?? null;
    this.rev++;
  }

  /** Replaces the contents (e.g. from REST history), keeping newer live points. */
  replace(points: Pt[]): void {
    const sorted = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y)).sort((a, b) => a.x - b.x);
    const lastHist = sorted[sorted.length - 1]?.x ?? -Infinity;
    const newer = this.points.filter((p) => p.x > lastHist);
    this.points = [...sorted, ...newer];
    this.prune(this.points[this.points.length - 1]?.x ?? Date.now());
    this.last = this.points[this.points.length - 1] ?? null;
    this.rev++;
  }

  clear(): void {
    this.points = [];
    this.last = null;
    this.rev++;
  }

  prune(latest: number): void {
    const cutoff = latest - this.maxAgeMs;
    let drop = 0;
    while (drop < this.points.length && this.points[drop]!.x < cutoff) drop++;
    const over = this.points.length - drop - this.maxPoints;
    if (over > 0) drop += over;
    if (drop > 0) this.points.splice(0, drop);
  }
}
