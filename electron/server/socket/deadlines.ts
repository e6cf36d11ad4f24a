import type { Clock, TimerHandle } from '../../engines/clock';

/** setTimeout can't wait longer than 2^31-1 ms; longer waits re-arm. */
const MAX_TIMER_MS = 2_000_000_000;

/** One item's place in the queue: keep it to cancel the deadline. */
export interface Deadline<T> {
  readonly at: number;
  readonly item: T;
  /** Position in the heap; -1 once it fired or was cancelled. */
  pos: number;
}

/**
 * Deadlines for many items (sockets' token expiries) on a single timer: a binary min-heap by time,
 * with one clock timer armed for the earliest. A timer per socket, with its closure and Node's
 * per-duration timer list, was a good part of what an idle connection costs.
 */
export class Deadlines<T> {
  private readonly heap: Deadline<T>[] = [];
  private timer: TimerHandle | undefined;
  private armedFor = Infinity;

  constructor(
    private readonly clock: Pick<Clock, 'now' | 'setTimeout' | 'clearTimeout'>,
    /** Called for each item whose time has come, earliest first. */
    private readonly due: (item: T) => void,
    private readonly failed: (err: unknown) => void,
  ) {}

  get size(): number {
    return this.heap.length;
  }

  add(item: T, at: number): Deadline<T> {
    const d: Deadline<T> = { at, item, pos: this.heap.length };
    this.heap.push(d);
    this.up(d.pos);
    this.arm();
    return d;
  }

  cancel(d: Deadline<T> | null): void {
    if (!d || d.pos < 0) return;
    this.take(d);
    this.arm();
  }

  stop(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = Infinity;
    for (const d of this.heap) d.pos = -1;
    this.heap.length = 0;
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    this.armedFor = Infinity;
    const now = this.clock.now();
    for (let first = this.heap[0]; first && first.at <= now; first = this.heap[0]) {
      this.take(first);
      try {
        this.due(first.item);
      } catch (err) {
        this.failed(err);
      }
    }
    this.arm();
  };

  private arm(): void {
    const at = this.heap[0]?.at ?? Infinity;
    if (at === this.armedFor) return;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = at;
    if (at !== Infinity) this.timer = this.clock.setTimeout(this.fire, Math.min(MAX_TIMER_MS, Math.max(0, at - this.clock.now())));
  }

  private take(d: Deadline<T>): void {
    const last = this.heap.pop()!;
    if (last !== d) {
      this.heap[d.pos] = last;
      last.pos = d.pos;
      this.down(last.pos);
      this.up(last.pos);
    }
    d.pos = -1;
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[parent]!.at <= h[i]!.at) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let least = i;
      if (l < h.length && h[l]!.at < h[least]!.at) least = l;
      if (r < h.length && h[r]!.at < h[least]!.at) least = r;
      if (least === i) return;
      this.swap(i, least);
      i = least;
    }
  }

  private swap(a: number, b: number): void {
    const h = this.heap;
    const x = h[a]!;
    const y = h[b]!;
    h[a] = y;
    h[b] = x;
    x.pos = b;
    y.pos = a;
  }
}
