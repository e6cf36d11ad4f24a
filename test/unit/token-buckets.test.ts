import { describe, expect, it } from 'vitest';
import { KeyedTokenBuckets } from '../../electron/server/security/token-buckets';

describe('KeyedTokenBuckets', () => {
  it('allows the burst, then asks for the time the overdraft takes to refill at the rate', () => {
    let now = 0;
    const buckets = new KeyedTokenBuckets(10, 20, () => now);
    expect(buckets.spend('a', 20)).toBe(0);
    expect(buckets.owes('a')).toBe(false);
    expect(buckets.spend('a', 5)).toBe(500);
    expect(buckets.owes('a')).toBe(true);
    // Keys are independent; a smaller burst applies to a key created with it.
    expect(buckets.spend('b', 5, 4)).toBe(100);
    now = 500;
    expect(buckets.owes('a')).toBe(false);
    now = 10_000;
    // Refilled only up to the burst, never beyond.
    expect(buckets.spend('a', 21)).toBe(100);
  });

  it('forgets full buckets as it goes, so a key that stopped spending starts afresh', () => {
    let now = 0;
    const buckets = new KeyedTokenBuckets(1, 2, () => now);
    buckets.spend('idle', 2);
    now = 61_000;
    buckets.spend('other', 1);
    // Had 'idle' been kept with its old burst, the override below would not apply.
    expect(buckets.spend('idle', 1, 0.5)).toBe(500);
  });
});
