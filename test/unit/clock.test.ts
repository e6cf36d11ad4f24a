import { describe, expect, it } from 'vitest';
import { ManualClock, ScaledClock } from '../../electron/engines/clock';

describe('clocks', () => {
  it('ManualClock fires due timers in time order, intervals repeatedly', () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b@20'), 20);
    clock.setTimeout(() => fired.push('a@10'), 10);
    const every = clock.setInterval(() => fired.push(`i@${clock.now()}`), 15);
    clock.advance(31);
    expect(fired).toEqual(['a@10', 'i@15', 'b@20', 'i@30']);
    clock.clearInterval(every);
    clock.advance(100);
    expect(fired).toHaveLength(4);
    expect(clock.toWall(1234)).toBe(1234);
  });

  it('ScaledClock runs `speed` times faster and maps its moments back to wall-clock time', async () => {
    const clock = new ScaledClock(50);
    const wallStart = Date.now();
    const simStart = clock.now();
    await new Promise((r) => setTimeout(r, 100));
    const simElapsed = clock.now() - simStart;
    expect(simElapsed).toBeGreaterThanOrEqual(50 * 90);
    expect(Math.abs(clock.toWall(clock.now()) - Date.now())).toBeLessThanOrEqual(5);
    expect(Math.abs(clock.toWall(simStart) - wallStart)).toBeLessThanOrEqual(5);
  });

  it('ScaledClock timers wait ms / speed of real time', async () => {
    const clock = new ScaledClock(100);
    const started = Date.now();
    await new Promise<void>((resolve) => clock.setTimeout(resolve, 5000));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(() => new ScaledClock(0)).toThrow(RangeError);
  });
});
