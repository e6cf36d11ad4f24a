import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../electron/engines/clock';
import { createRandom } from '../../../electron/engines/random';
import { Heap } from '../../../electron/engines/swarm/heap';
import { Timeline } from '../../../electron/engines/swarm/timeline';

describe('Heap', () => {
  it('pops in order and removes arbitrary items, with or without position tracking', () => {
    const random = createRandom('heap');
    for (const removable of [true, false]) {
      const heap = new Heap<{ v: number }>((a, b) => a.v < b.v, removable);
      const items = Array.from({ length: 500 }, () => ({ v: random.int(0, 1000) }));
      for (const item of items) heap.push(item);
      let kept = items;
      if (removable) {
        const gone = new Set(items.filter((_, i) => i % 3 === 0));
        for (const item of gone) expect(heap.remove(item)).toBe(true);
        kept = items.filter((item) => !gone.has(item));
      }
      const out: number[] = [];
      for (let top = heap.pop(); top; top = heap.pop()) out.push(top.v);
      expect(out).toEqual(kept.map((i) => i.v).sort((a, b) => a - b));
    }
  });
});

describe('Timeline', () => {
  it('runs entries in (time, insertion) order at their own time, in slices, skipping cancelled ones', () => {
    const clock = new ManualClock(0);
    let timers = 0;
    const setTimeout = clock.setTimeout.bind(clock);
    clock.setTimeout = (fn, ms) => {
      timers++;
      return setTimeout(fn, ms);
    };
    const timeline = new Timeline(clock, (e) => {
      throw e;
    });
    timeline.start();
    const seen: string[] = [];
    for (let i = 0; i < 1200; i++) timeline.at(100, () => seen.push(`a${i}@${timeline.now()}`));
    timeline.at(50, () => seen.push(`early@${timeline.now()}`));
    timeline.cancel(timeline.at(60, () => seen.push('cancelled')));
    timeline.at(100, () => timeline.after(0, () => seen.push(`nested@${timeline.now()}`)));
    const before = timers;
    clock.advance(200);
    expect(seen[0]).toBe('early@50');
    expect(seen.slice(1, 1201)).toEqual(Array.from({ length: 1200 }, (_, i) => `a${i}@100`));
    expect(seen.slice(1201)).toEqual(['nested@100']);
    // One timer to reach t=100, then the 1,200 due at once ran in three slices of at most 500: two more timers.
    expect(timers - before).toBe(3);
  });

  it('catchUp runs what is due before a command; a throwing step is reported and the agenda goes on', () => {
    const clock = new ManualClock(0);
    const errors: unknown[] = [];
    const timeline = new Timeline(clock, (e) => errors.push(e));
    timeline.start();
    const seen: number[] = [];
    timeline.at(10, () => {
      throw new Error('boom');
    });
    timeline.at(10, () => seen.push(timeline.now()));
    timeline.catchUp();
    expect(seen).toEqual([]);
    clock.advance(10);
    expect(seen).toEqual([10]);
    expect(errors).toHaveLength(1);
    expect(clock.pending()).toBe(0);
  });
});
