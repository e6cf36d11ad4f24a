import type { CommandInput } from '../../../../shared/protocol/command-table';
import type { EventPayload } from '../../../../shared/protocol/events';
import { onEvent } from '../server-events';
import { connection } from './connection.svelte';
import { BEAT_MS } from '../pace';

/**
 * This connection's delivery settings (batching, per-event rate limits, latency tracking).
 * They live on the server per socket, so they are re-applied after every reconnect.
 */
export interface RateLimitRow {
  event: string;
  maxPerSecond: number;
}

const KEY = 'zenflow.delivery';

/**
 * What a window asks for until its user chooses otherwise: progress streams (an event per epoch or
 * step, 50 a second or more) come as one frame per beat of the page instead of one each. The page
 * redraws once a beat anyway, so nobody sees them later; the main thread just handles a few frames
 * instead of dozens.
 */
export const DEFAULT_BATCHING = {
  enabled: true,
  batchSize: 100,
  batchTimeout: BEAT_MS,
  categories: ['neural:training:progress', 'task:progress'],
} satisfies CommandInput<'configure:batching'>;

interface Saved {
  /** The user's choice (on or off); null until they make one, which means DEFAULT_BATCHING. */
  batching: CommandInput<'configure:batching'> | null;
  rateLimits: RateLimitRow[];
  tracking: CommandInput<'enable:performance:tracking'> | null;
}

function load(): Saved {
  try {
    const raw = localStorage.getItem(KEY);
    if (raw) return JSON.parse(raw) as Saved;
  } catch {
    /* ignore */
  }
  return { batching: null, rateLimits: [], tracking: null };
}

class DeliveryStore {
  saved = $state<Saved>(load());
  performance = $state.raw<EventPayload<'performance:metrics'> | null>(null);
  performanceAt = $state<number | null>(null);

  constructor() {
    onEvent('performance:metrics', (p) => {
      this.performance = p;
      this.performanceAt = Date.now();
    });
    connection.onConnected(() => void this.reapply());
  }

  #persist(): void {
    try {
      localStorage.setItem(KEY, JSON.stringify($state.snapshot(this.saved)));
    } catch {
      /* ignore */
    }
  }

  /** The batching this window's connection has now: the user's choice, or the default. */
  get batching(): CommandInput<'configure:batching'> {
    return this.saved.batching ?? DEFAULT_BATCHING;
  }

  async setBatching(input: CommandInput<'configure:batching'>): Promise<unknown> {
    const res = await connection.requireClient().request('configure:batching', input);
    this.saved.batching = input;
    this.#persist();
    return res;
  }

  async setRateLimits(rows: RateLimitRow[]): Promise<unknown> {
    // Events dropped from the list are cleared with null.
    const payload: Record<string, { maxPerSecond: number } | null> = {};
    for (const old of this.saved.rateLimits) payload[old.event] = null;
    for (const r of rows) payload[r.event] = { maxPerSecond: r.maxPerSecond };
    const res = await connection.requireClient().request('configure:rate-limit', payload);
    this.saved.rateLimits = rows;
    this.#persist();
    return res;
  }

  async setTracking(input: CommandInput<'enable:performance:tracking'>): Promise<unknown> {
    const res = await connection.requireClient().request('enable:performance:tracking', input);
    this.saved.tracking = input.enabled === false ? null : input;
    if (input.enabled === false) this.performance = null;
    this.#persist();
    return res;
  }

  async reapply(): Promise<void> {
    const c = connection.client;
    if (!c) return;
    const s = $state.snapshot(this.saved);
    try {
      const batching = s.batching ?? DEFAULT_BATCHING;
      if (batching.enabled) await c.request('configure:batching', batching);
      if (s.rateLimits.length) await c.request('configure:rate-limit', Object.fromEntries(s.rateLimits.map((r) => [r.event, { maxPerSecond: r.maxPerSecond }])));
      if (s.tracking) await c.request('enable:performance:tracking', s.tracking);
    } catch (err) {
      console.warn('could not re-apply delivery settings', err);
    }
  }
}

export const delivery = new DeliveryStore();
