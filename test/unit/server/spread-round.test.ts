import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../electron/engines/clock';
import { SpreadRound } from '../../../electron/server/socket/spread-round';

describe('spread round', () => {
  it('visits every item once per period, a slice per 100 ms tick, never all in one turn', () => {
    const items = Array.from({ length: 5000 }, (_, i) => i);
    const visits = new Map<number, number>();
    const perTick: number[] = [];
    let thisTick = 0;
    const clock = new ManualClock();
    const round = new SpreadRound(
      10_000,
      () => items,
      (i) => {
        visits.set(i, (visits.get(i) ?? 0) + 1);
        thisTick++;
      },
      clock,
    );
    for (let t = 0; t < 100; t++) {
      clock.advance(100);
      perTick.push(thisTick);
      thisTick = 0;
    }
    round.stop();
    expect(visits.size).toBe(5000);
    expect([...visits.values()].every((n) => n === 1)).toBe(true);
    expect(Math.max(...perTick)).toBe(50);
  });

  it('an item added during a round is visited in the next one; a short period still visits all', () => {
    const items = [1, 2, 3];
    const seen: number[] = [];
    const clock = new ManualClock();
    const round = new SpreadRound(
      300,
      () => items,
      (i) => seen.push(i),
      clock,
    );
    clock.advance(100);
    items.push(4);
    clock.advance(200);
    expect(seen).toEqual([1, 2, 3]);
    // The next round has four items for its three slices: two, then two.
    clock.advance(200);
    round.stop();
    expect(seen).toEqual([1, 2, 3, 1, 2, 3, 4]);
  });
});
