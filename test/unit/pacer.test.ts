import { describe, expect, it } from 'vitest';
import { createPacer } from '../../renderer/src/lib/pacer';

/** A host on a hand-driven clock: timers fire when `advance` passes them, frames when `paint` runs. */
function fakeHost() {
  let t = 0;
  let timers: { at: number; fn: () => void }[] = [];
  let frames: (() => void)[] = [];
  const host = {
    now: () => t,
    setTimer: (fn: () => void, ms: number) => void timers.push({ at: t + ms, fn }),
    frame: (fn: () => void) => void frames.push(fn),
  };
  const paint = () => {
    const f = frames;
    frames = [];
    f.forEach((fn) => fn());
  };
  const advance = (ms: number) => {
    const end = t + ms;
    for (;;) {
      const due = timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      timers = timers.filter((x) => x !== due);
      t = Math.max(t, due.at);
      due.fn();
      paint();
    }
    t = end;
  };
  return { host, advance, paint, timers: () => timers.length, time: () => t };
}

describe('pacer', () => {
  it('runs everything asked for before a beat together, at the beat, once each', () => {
    const h = fakeHost();
    const p = createPacer(250, h.host);
    const ran: string[] = [];
    const a = () => ran.push(`a@${h.time()}`);
    h.advance(10);
    p.next(a);
    p.next(a);
    h.advance(100);
    p.next(() => ran.push(`b@${h.time()}`));
    h.advance(139);
    expect(ran).toEqual([]);
    h.advance(1);
    expect(ran).toEqual(['a@250', 'b@250']);
  });

  it('waits on one timer however many updates arrive between beats', () => {
    const h = fakeHost();
    const p = createPacer(250, h.host);
    let n = 0;
    for (let i = 0; i < 100; i++) p.next(() => n++);
    expect(h.timers()).toBe(1);
    h.advance(250);
    expect(n).toBe(100);
  });

  it('puts a later update on the beat nearest to its time, with the others due then', () => {
    const h = fakeHost();
    const p = createPacer(250, h.host);
    const ran: number[] = [];
    h.advance(30);
    p.after(1000, () => ran.push(h.time()));
    h.advance(700);
    p.next(() => ran.push(-h.time()));
    h.advance(400);
    expect(ran).toEqual([-750, 1000]);
  });

  it('runs a later update once however often it is asked for before it runs (the first time asked holds, or a sooner next())', () => {
    const { host, advance, time } = fakeHost();
    const p = createPacer(250, host);
    const ran: number[] = [];
    const draw = () => ran.push(time());
    p.after(1000, draw);
    advance(300);
    p.after(1000, draw);
    p.next(draw);
    advance(2000);
    expect(ran).toEqual([500]);
    p.after(1000, draw);
    p.after(100, draw);
    advance(2000);
    expect(ran).toEqual([500, 3250]);
  });

  it('runs a due update at the next beat, and keeps going when one update throws', () => {
    const h = fakeHost();
    const p = createPacer(250, h.host);
    const ran: number[] = [];
    h.advance(260);
    p.after(0, () => {
      throw new Error('boom');
    });
    p.after(-5, () => ran.push(h.time()));
    const error = console.error;
    console.error = () => {};
    try {
      h.advance(240);
    } finally {
      console.error = error;
    }
    expect(ran).toEqual([500]);
  });
});
