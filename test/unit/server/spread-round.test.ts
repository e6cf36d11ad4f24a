import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SpreadRound } from '../../../electron/server/socket/spread-round';

describe('spread round', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('visits every item once per period, a slice per 100 ms tick, never all in one turn', () => {
    const items = Array.from({ length: 5000 }, (_, i) => i);
    const visits = new Map<number, number>();
    const perTick: number[] = [];
    let thisTick = 0;
    const round = new SpreadRound(10_000, () => items, (i) => {
      visits.set(i, (visits.get(i) ?? 0) + 1);
      thisTick++;
    });
    for (let t = 0; t < 100; t++) {
      vi.advanceTimersByTime(100);
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
    const round = new SpreadRound(300, () => items, (i) => seen.push(i));
    vi.advanceTimersByTime(100);
    items.push(4);
    vi.advanceTimersByTime(200);
    expect(seen).toEqual([1, 2, 3]);
    // The next round has four items for its three slices: two, then two.
    vi.advanceTimersByTime(200);
    round.stop();
    expect(seen).toEqual([1, 2, 3, 1, 2, 3, 4]);
  });
});
