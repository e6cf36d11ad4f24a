import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ManualClock } from '../../../electron/engines/clock';
import { Deadlines } from '../../../electron/server/socket/deadlines';

function queue() {
  const clock = new ManualClock(0);
  const fired: { item: string; at: number }[] = [];
  const errors: unknown[] = [];
  const q = new Deadlines<string>(
    clock,
    (item) => fired.push({ item, at: clock.now() }),
    (err) => errors.push(err),
  );
  return { clock, fired, errors, q };
}

describe('Deadlines', () => {
  it('fires each item at its time, earliest first, on one clock timer', () => {
    const { clock, fired, q } = queue();
    q.add('c', 300);
    q.add('a', 100);
    q.add('b', 200);
    expect(clock.pending()).toBe(1);
    clock.advance(99);
    expect(fired).toEqual([]);
    clock.advance(300);
    expect(fired).toEqual([
      { item: 'a', at: 100 },
      { item: 'b', at: 200 },
      { item: 'c', at: 300 },
    ]);
    expect(q.size).toBe(0);
    expect(clock.pending()).toBe(0);
  });

  it('never fires a cancelled deadline, and fires the rest', () => {
    const { clock, fired, q } = queue();
    const a = q.add('a', 100);
    q.add('b', 150);
    q.cancel(a);
    q.cancel(a);
    clock.advance(1000);
    expect(fired.map((f) => f.item)).toEqual(['b']);
  });

  it('lets an item due now schedule its next deadline, and survives one that throws', () => {
    const clock = new ManualClock(0);
    const seen: string[] = [];
    const errors: unknown[] = [];
    const q = new Deadlines<string>(
      clock,
      (item) => {
        seen.push(`${item}@${clock.now()}`);
        if (item === 'offer') q.add('expire', clock.now() + 50);
        if (item === 'bad') throw new Error('boom');
      },
      (err) => errors.push(err),
    );
    q.add('bad', 10);
    q.add('offer', 10);
    clock.advance(100);
    expect(seen).toEqual(['bad@10', 'offer@10', 'expire@60']);
    expect(errors).toHaveLength(1);
  });

  it('waits past the longest timer Node allows by re-arming', () => {
    const { clock, fired, q } = queue();
    q.add('far', 5_000_000_000);
    clock.advance(4_999_999_999);
    expect(fired).toEqual([]);
    clock.advance(1);
    expect(fired).toEqual([{ item: 'far', at: 5_000_000_000 }]);
  });

  it('fires what is left in time order after any mix of adds and cancels', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.boolean()), { maxLength: 60 }), (ops) => {
        const { clock, fired, q } = queue();
        const kept: number[] = [];
        ops.forEach(([at, cancel], i) => {
          const d = q.add(String(i), at);
          if (cancel) q.cancel(d);
          else kept.push(at);
        });
        clock.advance(2000);
        expect(fired.map((f) => f.at)).toEqual(kept.sort((a, b) => a - b));
        expect(fired.every((f) => f.at === Number(ops[Number(f.item)]![0]))).toBe(true);
      }),
    );
  });
});
