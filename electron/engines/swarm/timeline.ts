import type { Clock, TimerHandle } from '../clock';
import { Heap } from './heap';

/** Entries run per macrotask before the timeline yields to I/O. */
const SLICE = 500;

/** A scheduled simulation step; `cancel` makes it a no-op (it is dropped lazily when due). */
export interface Scheduled {
  readonly at: number;
  cancelled: boolean;
}

interface Entry extends Scheduled {
  readonly seq: number;
  readonly fn: (arg: never) => void;
  readonly arg: unknown;
}

/**
 * The engine's own agenda of simulated work, ordered by (time, insertion order)
 * so a run replays identically for a seed. Only the earliest entry holds a clock
 * timer, which keeps ManualClock cheap and ScaledClock at one real timer.
 * While an entry runs, `now()` is that entry's time, not the (later) wall of the clock.
 */
export class Timeline {
  // Cancelled entries are skipped when they come up rather than removed, so the heap need not track positions.
  private readonly heap = new Heap<Entry>((a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq), false);
  private seq = 0;
  private current: number | null = null;
  private timer: TimerHandle | undefined;
  private armedAt = Infinity;
  private running = false;
  private draining = false;

  /** `onError` hears a step that threw; the agenda carries on with the next one. */
  constructor(
    private readonly clock: Clock,
    private readonly onError: (error: unknown) => void,
  ) {}

  now(): number {
    return this.current ?? this.clock.now();
  }

  /** The wall-clock moment a simulated moment stands for; a future one at the current speed (an ETA people can read). */
  toWall(time: number): number {
    return this.clock.toWall(time);
  }

  at(time: number, fn: () => void): Scheduled {
    return this.call(time, fn, undefined);
  }

  after(ms: number, fn: () => void): Scheduled {
    return this.call(this.now() + Math.max(0, ms), fn, undefined);
  }

  /** Runs fn(arg) at `time`; with a long-lived fn this allocates no closure (the hot path: every task step). */
  call<A>(time: number, fn: (arg: A) => void, arg: A): Scheduled {
    const entry: Entry = { at: Math.max(time, this.now()), seq: this.seq++, fn, arg, cancelled: false };
    this.heap.push(entry);
    if (!this.draining) this.arm();
    return entry;
  }

  cancel(entry: Scheduled | null | undefined): void {
    if (entry) entry.cancelled = true;
  }

  start(): void {
    this.running = true;
    this.arm();
  }

  stop(): void {
    this.running = false;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.armedAt = Infinity;
  }

  /** Runs everything already due, so a command never sees time run backwards (ScaledClock timers fire late). */
  catchUp(): void {
    if (this.running && !this.draining) this.drain(Infinity);
  }

  /**
   * Runs due entries in order. A timer-driven drain stops after `budget`
   * entries and continues in a fresh macrotask, so a burst of due work never
   * holds the event loop for long; the order (hence the replay) is unchanged.
   */
  private drain(budget: number): void {
    // From catchUp the armed timer is still pending: drop it, arm() sets the next one.
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.armedAt = Infinity;
    this.draining = true;
    let more = false;
    try {
      const end = this.clock.now();
      for (let top = this.heap.peek(); top && top.at <= end; top = this.heap.peek()) {
        if (budget-- <= 0) {
          more = true;
          break;
        }
        this.heap.pop();
        if (top.cancelled) continue;
        this.current = top.at;
        try {
          (top.fn as (arg: unknown) => void)(top.arg);
        } catch (error) {
          this.onError(error);
        }
      }
    } finally {
      this.current = null;
      this.draining = false;
      if (more && this.running) {
        this.armedAt = -Infinity;
        this.timer = this.clock.setTimeout(() => this.drain(SLICE), 0);
      } else this.arm();
    }
  }

  private arm(): void {
    if (!this.running) return;
    let top = this.heap.peek();
    while (top?.cancelled) {
      this.heap.pop();
      top = this.heap.peek();
    }
    if (!top || top.at === this.armedAt) return;
    this.clock.clearTimeout(this.timer);
    this.armedAt = top.at;
    this.timer = this.clock.setTimeout(() => this.drain(SLICE), Math.max(0, top.at - this.clock.now()));
  }
}
