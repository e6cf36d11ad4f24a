import { randomInt, timingSafeEqual } from 'node:crypto';

/**
 * Short single-use codes a LAN device types (or scans) to get its own token.
 * One code is live at a time; it dies on use, on expiry, or after a few wrong
 * guesses, so 40 bits of code are plenty against guessing over the network.
 */

/** No 0/O, 1/I/L: easy to read aloud and type on a phone. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const LENGTH = 8;

export interface PairingCode {
  /** Shown as XXXX-XXXX. */
  code: string;
  expiresAt: number;
}

export interface PairingOptions {
  ttlMs?: number;
  maxFailures?: number;
  now?: () => number;
}

/** Accepts the code as shown, typed in lower case, or without the dash. */
export const normalizeCode = (input: string): string => input.toUpperCase().replace(/[\s-]/g, '');
const display = (code: string): string => `${code.slice(0, 4)}-${code.slice(4)}`;

export class PairingCodes {
  private live: { code: string; expiresAt: number; failures: number } | null = null;
  private readonly ttlMs: number;
  private readonly maxFailures: number;
  private readonly now: () => number;

  constructor(options: PairingOptions = {}) {
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
    this.maxFailures = options.maxFailures ?? 5;
    this.now = options.now ?? Date.now;
  }

  issue(): PairingCode {
    const code = Array.from({ length: LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    this.live = { code, expiresAt: this.now() + this.ttlMs, failures: 0 };
    return { code: display(code), expiresAt: this.live.expiresAt };
  }

  current(): PairingCode | null {
    if (this.live && this.live.expiresAt <= this.now()) this.live = null;
    return this.live ? { code: display(this.live.code), expiresAt: this.live.expiresAt } : null;
  }

  /** True exactly once for the live code; a wrong guess counts toward burning it. */
  redeem(input: string): boolean {
    const live = this.current() && this.live;
    if (!live) return false;
    const given = Buffer.from(normalizeCode(input));
    const expected = Buffer.from(live.code);
    if (given.length === expected.length && timingSafeEqual(given, expected)) {
      this.live = null;
      return true;
    }
    if (++live.failures >= this.maxFailures) this.live = null;
    return false;
  }

  clear(): void {
    this.live = null;
  }
}
