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

/** One run of a clock: from `simStart` (simulated time) at `wallStart` (wall clock), at `speed`. */
export interface ClockSegment {
  simStart: number;
  wallStart: number;
  speed: number;
}

export interface ScaledClockOptions {
  /** Where this run starts; default: simulated time = the wall clock now. */
  start?: { simStart: number; wallStart: number };
  /** Earlier runs, oldest first, so their moments keep the wall-clock time they had. */
  earlier?: readonly ClockSegment[];
  /** A monotonic ms counter (default performance.now): wall-clock steps never move this clock. */
  monotonic?: () => number;
  /** The wall clock read once at start (default Date.now); tests inject steps through it. */
  wall?: () => number;
}

/**
 * Simulated time at `speed` × real time, on a monotonic source: after the start
 * it never reads the wall clock again, so stepping the system clock neither
 * stalls nor rushes the engines. Timers fire after ms / speed real milliseconds
 * (Node's timers are monotonic too). `toWall` maps a moment back to the wall
 * clock through the run it belongs to, so moments recorded before a restart or a
 * speed change keep the wall-clock time they were shown with.
 */
export class ScaledClock implements Clock {
  private readonly monotonic: () => number;
  private readonly monoOrigin: number;
  private readonly simOrigin: number;
  private readonly wallOrigin: number;
  private readonly earlier: readonly ClockSegment[];
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private nextId = 1;

  constructor(
    private readonly speed = 1,
    options: ScaledClockOptions = {},
  ) {
    if (!(speed > 0)) throw new RangeError('clock speed must be > 0');
    this.monotonic = options.monotonic ?? (() => performance.now());
    this.monoOrigin = this.monotonic();
    const wall = options.start?.wallStart ?? (options.wall ?? Date.now)();
    this.wallOrigin = wall;
    this.simOrigin = options.start?.simStart ?? wall;
    this.earlier = options.earlier ?? [];
  }

  /** This run, as it is recorded for the next one. */
  get segment(): ClockSegment {
    return { simStart: this.simOrigin, wallStart: this.wallOrigin, speed: this.speed };
  }

  now(): number {
    return Math.round(this.simOrigin + (this.monotonic() - this.monoOrigin) * this.speed);
  }

  toWall(time: number): number {
    if (time >= this.simOrigin || this.earlier.length === 0) return Math.round(this.wallOrigin + (time - this.simOrigin) / this.speed);
    let seg = this.earlier[0]!;
    for (const s of this.earlier) if (s.simStart <= time) seg = s;
    return Math.round(seg.wallStart + (time - seg.simStart) / seg.speed);
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    const t = setTimeout(
      () => {
        this.timers.delete(id);
        fn();
      },
      Math.max(0, ms / this.speed),
    );
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

/**
 * Where a persistent clock's next run starts: simulated time carries on from the
 * last run as if it had kept going (so durations across a stop stay plausible),
 * never below the newest moment that run handed out, so time never runs backwards
 * even if the wall clock was set back in between.
 */
export function nextClockStart(previous: (ClockSegment & { simHigh: number }) | null, wallNow: number): { simStart: number; wallStart: number } {
  if (!previous) return { simStart: wallNow, wallStart: wallNow };
  const carried = previous.simStart + (wallNow - previous.wallStart) * previous.speed;
  return { simStart: Math.round(Math.max(carried, previous.simHigh + 1)), wallStart: wallNow };
}
