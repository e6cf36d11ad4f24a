import { ProtocolError } from '../../../shared/protocol/errors';
import { KeyedTokenBuckets } from './token-buckets';

export interface WorkQuotaLimits {
  /** Requests of one principal running or waiting at once. */
  concurrent: number;
  /** Milliseconds of work one principal may use per second of wall time, sustained. */
  msPerSecond: number;
  /** Milliseconds it may use in a burst. */
  burstMs: number;
}

/**
 * Bounds the CPU-heavy work (code analysis) one principal may have the server do: how many of its
 * requests run at once, and how much time they take over a window. Past either it gets `rate_limited`.
 */
export class WorkQuota {
  private readonly running = new Map<string, number>();
  private readonly time: KeyedTokenBuckets;

  constructor(private readonly limits: WorkQuotaLimits) {
    this.time = new KeyedTokenBuckets(limits.msPerSecond, limits.burstMs);
  }

  /** Runs `work` for `principal` within its quota, charging the time it took. */
  async run<T>(principal: string, what: string, work: () => Promise<T>): Promise<T> {
    const running = this.running.get(principal) ?? 0;
    if (running >= this.limits.concurrent) {
      throw new ProtocolError('rate_limited', `${running} ${what} requests of yours are running; wait for one to finish`);
    }
    if (this.time.owes(principal)) throw new ProtocolError('rate_limited', `your ${what} time for now is used up; try again in a few seconds`);
    this.running.set(principal, running + 1);
    const started = performance.now();
    try {
      return await work();
    } finally {
      const left = (this.running.get(principal) ?? 1) - 1;
      if (left === 0) this.running.delete(principal);
      else this.running.set(principal, left);
      this.time.spend(principal, performance.now() - started);
    }
  }
}
