import type { Clock, TimerHandle } from '../../engines/clock';

/** How often a round takes its next slice. */
const SLICE_MS = 100;

/**
 * Visits every item once per `periodMs`, a slice at each tick, so that no one turn of the event
 * loop walks them all (an application ping over 5,000 sockets at once stalls the loop for
 * 150–230 ms). Each round takes a snapshot of `items` and walks it in `periodMs / 100 ms` slices;
 * an item added meanwhile is visited in the next round.
 */
export class SpreadRound<T> {
  private round: T[] = [];
  private next = 0;
  private readonly slices: number;
  private readonly timer: TimerHandle;

  constructor(
    periodMs: number,
    private readonly items: () => Iterable<T>,
    private readonly visit: (item: T) => void,
    private readonly clock: Pick<Clock, 'setInterval' | 'clearInterval'>,
  ) {
    this.slices = Math.max(1, Math.round(periodMs / SLICE_MS));
    this.timer = clock.setInterval(() => this.tick(), periodMs / this.slices);
  }

  private tick(): void {
    if (this.next >= this.round.length) {
      this.round = [...this.items()];
      this.next = 0;
    }
    const end = Math.min(this.round.length, this.next + Math.ceil(this.round.length / this.slices));
    for (; this.next < end; this.next++) this.visit(this.round[this.next]!);
  }

  stop(): void {
    this.clock.clearInterval(this.timer);
    this.round = [];
  }
}
