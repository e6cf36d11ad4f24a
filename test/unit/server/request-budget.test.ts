import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../electron/engines/clock';
import { RequestBudget } from '../../../electron/server/security/request-budget';

describe('RequestBudget (sliding window, manual clock)', () => {
  const setup = (limit: number) => {
    const clock = new ManualClock();
    return { clock, budget: new RequestBudget(limit, 60_000, () => clock.now()) };
  };

  it('allows the limit within a window, then refuses until the oldest request leaves it', () => {
    const { clock, budget } = setup(3);
    expect(budget.take('a')).toMatchObject({ allowed: true, count: 1 });
    clock.advance(20_000);
    budget.take('a');
    clock.advance(20_000);
    expect(budget.take('a')).toMatchObject({ allowed: true, count: 3, warning: true });
    expect(budget.take('a')).toMatchObject({ allowed: false, retryAfterMs: 20_000, firstLimited: true });
    expect(budget.take('a')).toMatchObject({ allowed: false, firstLimited: false });
    clock.advance(20_000);
    expect(budget.take('a')).toMatchObject({ allowed: true, count: 3 });
  });

  it('warns once per crossing of 80 %', () => {
    const { clock, budget } = setup(5);
    const warnings = () => Array.from({ length: 5 }, () => budget.take('a').warning).filter(Boolean).length;
    expect(warnings()).toBe(1);
    clock.advance(60_000);
    expect(warnings()).toBe(1);
  });

  it('follows a new limit at once', () => {
    const { budget } = setup(2);
    budget.take('a');
    budget.take('a');
    expect(budget.take('a').allowed).toBe(false);
    budget.setLimit(3);
    expect(budget.take('a').allowed).toBe(true);
  });

  it('sweeps only clients idle for a whole window', () => {
    const { clock, budget } = setup(1);
    budget.take('idle');
    clock.advance(30_000);
    budget.take('busy');
    clock.advance(30_000);
    budget.sweep();
    // The idle client was forgotten (allowed again); the busy one still counts (positive control).
    expect(budget.take('idle').allowed).toBe(true);
    expect(budget.take('busy').allowed).toBe(false);
  });
});
