/**
 * Time source for engines. Simulated engines read time and schedule work only
 * through a Clock so tests can run simulated time fast and deterministically.
 */
export type TimerHandle = { readonly id: number };

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
  setInterval(fn: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle | undefined): void;
  /** The wall-clock moment (ms since epoch) that `time` on this clock stands for, for display. */
  toWall(time: number): number;
}

/**
 * Wall-clock time sped up by `speed` (1 = real time). Timers fire after
 * ms / speed real milliseconds; `now()` advances `speed` times faster than Date.now().
 */
export class ScaledClock implements Clock {
  private readonly origin = Date.now();
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private nextId = 1;

  constructor(private readonly speed = 1) {
    if (!(speed > 0)) throw new RangeError('clock speed must be > 0');
  }

  now(): number {
    return Math.round(this.origin + (Date.now() - this.origin) * this.speed);
  }

  toWall(time: number): number {
    return Math.round(this.origin + (time - this.origin) / this.speed);
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    const t = setTimeout(() => {
      this.timers.delete(id);
      fn();
    }, Math.max(0, ms / this.speed));
    t.unref();
    this.timers.set(id, t);
    return { id };
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (!handle) return;
    clearTimeout(this.timers.get(handle.id));
    this.timers.delete(handle.id);
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    const t = setInterval(fn, Math.max(1, ms / this.speed));
    t.unref();
    this.timers.set(id, t);
    return { id };
  }

  clearInterval(handle: TimerHandle | undefined): void {
    if (!handle) return;
    clearInterval(this.timers.get(handle.id));
    this.timers.delete(handle.id);
  }
}

type ManualTimer = { id: number; at: number; seq: number; every: number | null; fn: () => void };

/** A clock that only moves when told: `advance(ms)` fires due timers in time order. */
export class ManualClock implements Clock {
  private time: number;
  private seq = 0;
  private nextId = 1;
  private readonly timers = new Map<number, ManualTimer>();

  constructor(start = 1_700_000_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  /** A manual clock is its own wall clock. */
  toWall(time: number): number {
    return time;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.add(fn, ms, null);
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    return this.add(fn, ms, Math.max(1, ms));
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle) this.timers.delete(handle.id);
  }

  clearInterval(handle: TimerHandle | undefined): void {
    if (handle) this.timers.delete(handle.id);
  }

  /** Moves time forward by `ms`, firing every timer that falls due, earliest first. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let next: ManualTimer | undefined;
      for (const t of this.timers.values()) {
        if (t.at <= end && (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq))) next = t;
      }
      if (!next) break;
      this.time = Math.max(this.time, next.at);
      if (next.every === null) this.timers.delete(next.id);
      else {
        next.at += next.every;
        next.seq = this.seq++;
      }
      next.fn();
    }
    this.time = end;
  }

  pending(): number {
    return this.timers.size;
  }

  private add(fn: () => void, ms: number, every: number | null): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { id, at: this.time + Math.max(0, ms), seq: this.seq++, every, fn });
    return { id };
  }
}
