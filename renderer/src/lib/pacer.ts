/**
 * One beat for everything live on screen. Updates that people read (figures, bars, charts, relative
 * times) run together on a shared grid, inside one animation frame, so the page renders once per
 * beat however many events arrive and however many views update: each render costs a style pass,
 * a paint and a compositor commit, and separate timers would each pay for their own.
 */
export interface PacerHost {
  now(): number;
  setTimer(fn: () => void, ms: number): void;
  frame(fn: () => void): void;
}

export interface Pacer {
  /** Runs `fn` at the next beat (once, however often it is asked before then). */
  next(fn: () => void): void;
  /**
   * Runs `fn` at the beat nearest to `ms` from now (the next beat if that is sooner): once, however
   * often it is asked before it runs (the first request's time holds).
   */
  after(ms: number, fn: () => void): void;
}

export function createPacer(beatMs: number, host: PacerHost): Pacer {
  const due = new Set<() => void>();
  /** Asked for with `after` and not yet due, each with the request that set its timer. */
  const waiting = new Map<() => void, object>();
  let armed = false;
  const run = (): void => {
    armed = false;
    const fns = [...due];
    due.clear();
    for (const fn of fns) {
      try {
        fn();
      } catch (err) {
        console.error(err);
      }
    }
  };
  /** Time from now to the beat nearest `ms` from now, but never to a beat already passed. */
  const untilBeat = (ms: number): number => {
    const t = host.now();
    return Math.max(Math.ceil(t / beatMs), Math.round((t + ms) / beatMs)) * beatMs - t;
  };
  const next = (fn: () => void): void => {
    // Asked for sooner than it was waiting for: the beat that is nearer wins, once.
    waiting.delete(fn);
    due.add(fn);
    if (armed) return;
    armed = true;
    host.setTimer(() => host.frame(run), untilBeat(0));
  };
  return {
    next,
    after(ms, fn) {
      if (due.has(fn) || waiting.has(fn)) return;
      // Wake half a beat early, then join the beat itself with everything else due then.
      const wait = untilBeat(ms) - beatMs / 2;
      if (wait <= 0) return next(fn);
      const request = {};
      waiting.set(fn, request);
      host.setTimer(() => {
        if (waiting.get(fn) === request) next(fn);
      }, wait);
    },
  };
}
