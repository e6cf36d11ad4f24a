/**
 * Promises that resolve once a position in the event log has been reached (a seq written to
 * the stream, or delivered by an edge), or after `timeoutMs` should Redis be away.
 */
export class SeqWaiters {
  private readonly waiting = new Set<{ seq: number; done: () => void }>();

  constructor(private readonly timeoutMs: number) {}

  /** Resolves once `reached(seq)` has been called with `seq` or beyond, or at the timeout. */
  wait(seq: number): Promise<void> {
    return new Promise((resolve) => {
      const waiter = {
        seq,
        done: () => {
          clearTimeout(timer);
          this.waiting.delete(waiter);
          resolve();
        },
      };
      const timer = setTimeout(waiter.done, this.timeoutMs);
      this.waiting.add(waiter);
    });
  }

  /** The log has reached `position`: everyone waiting for it or earlier goes. */
  reached(position: number): void {
    for (const w of this.waiting) if (w.seq <= position) w.done();
  }

  /** Lets every waiter go (on close). */
  releaseAll(): void {
    for (const w of this.waiting) w.done();
  }
}
