/**
 * Binary min-heap ordered by `less`. When `removable`, positions are tracked so
 * an item can be removed in O(log n) (a cancelled task, an agent that stops
 * being idle); without it the heap allocates nothing per operation.
 */
export class Heap<T> {
  private readonly items: T[] = [];
  private readonly pos: Map<T, number> | null;

  constructor(
    private readonly less: (a: T, b: T) => boolean,
    removable = true,
  ) {
    this.pos = removable ? new Map() : null;
  }

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    if (this.pos?.has(item)) return;
    this.items.push(item);
    this.up(this.items.length - 1);
  }

  pop(): T | undefined {
    const top = this.items[0];
    if (top !== undefined) this.removeAt(0);
    return top;
  }

  remove(item: T): boolean {
    const i = this.pos?.get(item);
    if (i === undefined) return false;
    this.removeAt(i);
    return true;
  }

  /** Unordered; for counting and scans that do not depend on order. */
  values(): IterableIterator<T> {
    return this.items.values();
  }

  private removeAt(i: number): void {
    const last = this.items.pop() as T;
    this.pos?.delete(this.items.length === i ? last : (this.items[i] as T));
    if (i === this.items.length) return;
    this.items[i] = last;
    this.down(i);
    this.up(i);
  }

  private up(i: number): void {
    const item = this.items[i] as T;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = this.items[parent] as T;
      if (!this.less(item, p)) break;
      this.items[i] = p;
      this.pos?.set(p, i);
      i = parent;
    }
    this.items[i] = item;
    this.pos?.set(item, i);
  }

  private down(i: number): void {
    const n = this.items.length;
    const item = this.items[i] as T;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let child = l;
      if (r < n && this.less(this.items[r] as T, this.items[l] as T)) child = r;
      const c = this.items[child] as T;
      if (!this.less(c, item)) break;
      this.items[i] = c;
      this.pos?.set(c, i);
      i = child;
    }
    this.items[i] = item;
    this.pos?.set(item, i);
  }
}
