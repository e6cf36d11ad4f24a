import { describe, expect, it } from 'vitest';
import { normalizeCode, PairingCodes } from '../../../electron/main/pairing';
import { pairRequestSchema } from '../../../shared/protocol/commands';

const clock = (start = 1_000_000) => {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
};

describe('pairing codes', () => {
  it('are short, readable XXXX-XXXX codes from an unambiguous alphabet', () => {
    const codes = new PairingCodes();
    for (let i = 0; i < 50; i++) expect(codes.issue().code).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
  });

  it('redeem exactly once, however the code is typed', () => {
    const codes = new PairingCodes();
    const { code } = codes.issue();
    expect(codes.redeem(code.toLowerCase().replace('-', ' '))).toBe(true);
    expect(codes.redeem(code)).toBe(false);
    expect(codes.current()).toBeNull();
  });

  it('expire', () => {
    const c = clock();
    const codes = new PairingCodes({ ttlMs: 60_000, now: c.now });
    const { code, expiresAt } = codes.issue();
    expect(expiresAt).toBe(c.now() + 60_000);
    c.advance(59_999);
    expect(codes.current()?.code).toBe(code);
    c.advance(1);
    expect(codes.current()).toBeNull();
    expect(codes.redeem(code)).toBe(false);
  });

  it('burn after too many wrong guesses', () => {
    const codes = new PairingCodes({ maxFailures: 3 });
    const { code } = codes.issue();
    expect(codes.redeem('AAAA-AAAA')).toBe(false);
    expect(codes.redeem('')).toBe(false);
    expect(codes.redeem('x'.repeat(32))).toBe(false);
    expect(codes.redeem(code)).toBe(false);
    expect(codes.current()).toBeNull();
  });

  it('one live code at a time: a new code replaces the old', () => {
    const codes = new PairingCodes();
    const first = codes.issue().code;
    const second = codes.issue().code;
    expect(codes.redeem(first)).toBe(false);
    expect(codes.redeem(second)).toBe(true);
  });

  it('nothing redeems when no code is live or after clear()', () => {
    const codes = new PairingCodes();
    expect(codes.redeem('ABCD-EFGH')).toBe(false);
    const { code } = codes.issue();
    codes.clear();
    expect(codes.redeem(code)).toBe(false);
  });

  it('normalizes case, dashes and spaces', () => {
    expect(normalizeCode(' ab cd-ef gh ')).toBe('ABCDEFGH');
  });

  it('validates the pairing request body', () => {
    expect(pairRequestSchema.parse({ code: 'ABCD-EFGH' })).toEqual({ code: 'ABCD-EFGH', device: 'LAN device' });
    expect(pairRequestSchema.parse({ code: 'ABCD-EFGH', device: '  Ana’s phone ' })).toEqual({ code: 'ABCD-EFGH', device: 'Ana’s phone' });
    for (const bad of [null, {}, { code: 1 }, { code: 'x'.repeat(33) }, { code: 'A', device: '' }, { code: 'A', device: 'a\nb' }, { code: 'A', extra: 1 }]) {
      expect(pairRequestSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
