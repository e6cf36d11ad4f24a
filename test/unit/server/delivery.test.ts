import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../electron/engines/clock';
import { Batcher, matchesCategory } from '../../../electron/server/delivery/batcher';
import { Coalescer } from '../../../electron/server/delivery/coalescer';

describe('Coalescer (manual clock)', () => {
  const setup = (maxPerSecond: number) => {
    const clock = new ManualClock();
    const sent: Record<string, unknown>[] = [];
    return { clock, sent, c: new Coalescer(maxPerSecond, clock, (p) => sent.push(p)) };
  };

  it('sends the first event at once and the newest of a burst on the trailing edge, counting what it stands for', () => {
    const { clock, sent, c } = setup(2);
    c.offer({ n: 1 });
    expect(sent).toEqual([{ n: 1 }]);
    c.offer({ n: 2 });
    c.offer({ n: 3 });
    c.offer({ n: 4 });
    clock.advance(499);
    expect(sent).toHaveLength(1);
    clock.advance(1);
    expect(sent).toEqual([{ n: 1 }, { n: 4, coalesced: 3 }]);
  });

  it('lets events through unchanged while they keep under the rate', () => {
    const { clock, sent, c } = setup(2);
    for (let n = 0; n < 4; n++) {
      c.offer({ n });
      clock.advance(500);
    }
    expect(sent).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it('sends nothing more once disposed', () => {
    const { clock, sent, c } = setup(1);
    c.offer({ n: 1 });
    c.offer({ n: 2 });
    expect(clock.pending()).toBe(1);
    c.dispose();
    clock.advance(5_000);
    expect(sent).toEqual([{ n: 1 }]);
    expect(clock.pending()).toBe(0);
  });
});

describe('Batcher (manual clock)', () => {
  const setup = (batchSize: number, batchTimeout: number, categories: string[] = []) => {
    const clock = new ManualClock();
    const sent: { events: { event: string; data: unknown }[]; timestamp: number }[] = [];
    return { clock, sent, b: new Batcher({ batchSize, batchTimeout, categories }, clock, (p) => sent.push(p)) };
  };

  it('sends a full batch at once, in order', () => {
    const { sent, b } = setup(3, 1000);
    b.add('task:created', 1);
    b.add('task:started', 2);
    expect(sent).toEqual([]);
    b.add('task:completed', 3);
    expect(sent).toEqual([
      {
        events: [
          { event: 'task:created', data: 1 },
          { event: 'task:started', data: 2 },
          { event: 'task:completed', data: 3 },
        ],
        timestamp: 1_700_000_000_000,
      },
    ]);
  });

  it('sends a partial batch when the timeout passes, counted from its first event', () => {
    const { clock, sent, b } = setup(10, 1000);
    b.add('a:x', 1);
    clock.advance(600);
    b.add('a:y', 2);
    clock.advance(399);
    expect(sent).toEqual([]);
    clock.advance(1);
    expect(sent.map((s) => [s.events.length, s.timestamp])).toEqual([[2, 1_700_000_001_000]]);
    clock.advance(10_000);
    expect(sent).toHaveLength(1);
  });

  it('matches categories by event name, channel or prefix pattern', () => {
    expect(matchesCategory(['swarm:*'], 'swarm:task:completed')).toBe(true);
    expect(matchesCategory(['tasks'], 'workflow:started')).toBe(true);
    expect(matchesCategory(['task:created'], 'task:created')).toBe(true);
    expect(matchesCategory(['task:created'], 'task:started')).toBe(false);
    expect(matchesCategory(['system'], 'swarm:created')).toBe(false);
    expect(matchesCategory([], 'anything:at-all')).toBe(true);
  });
});
