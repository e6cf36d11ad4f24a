import pino from 'pino';
import { EventBus } from '../../../electron/engines/bus';
import { ManualClock } from '../../../electron/engines/clock';
import type { EngineContext } from '../../../electron/engines/context';
import { createRandom } from '../../../electron/engines/random';
import { EVENT_SCHEMAS } from '../../../shared/protocol/events';
import type { HostSample, Sampler } from '../../../electron/engines/system/system-types';
import { type Db } from '../../../electron/store/database';
import { openAppDatabase } from '../../../electron/engines/migrations';

/** An engine context on a ManualClock (both clocks) that records every published event, checked against its protocol schema. */
export function testContext(db: Db = openAppDatabase(':memory:')) {
  const clock = new ManualClock();
  const bus = new EventBus(() => clock.now());
  const events: { event: string; payload: Record<string, unknown> }[] = [];
  bus.subscribe((event, payload) => {
    const check = EVENT_SCHEMAS[event].safeParse(payload);
    if (!check.success) throw new Error(`${event} payload breaks the protocol: ${check.error.message}`);
    events.push({ event, payload: payload as Record<string, unknown> });
  });
  const ctx: EngineContext = { bus, db, clock, realClock: clock, random: createRandom(1), log: pino({ level: 'silent' }) };
  const of = (name: string) => events.filter((e) => e.event === name).map((e) => e.payload);
  return { ctx, clock, events, of };
}

/** A sampler whose readings the test sets; everything not set is a quiet host. */
export class FakeSampler implements Sampler {
  cpu = 10;
  memory = 30;
  disk = 40;
  load1 = 0.2;
  rss = 100 * 1024 * 1024;
  processCpu = 1;
  calls = 0;

  sample(): Promise<HostSample> {
    this.calls++;
    const total = 8 * 1024 ** 3;
    return Promise.resolve({
      cpu: { usage: this.cpu, cores: 4, load1: this.load1, load5: this.load1, load15: this.load1 },
      memory: { usage: this.memory, used: (total * this.memory) / 100, total, available: total * (1 - this.memory / 100) },
      disk: { usage: this.disk, used: this.disk * 1e9, total: 100e9, path: '/data' },
      network: { rxBytesPerSec: 1000, txBytesPerSec: 500 },
      process: { rss: this.rss, cpu: this.processCpu },
    });
  }
}

/** Lets pending promise callbacks (a sampling tick) finish. */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Advances the clock in steps, letting async ticks complete after each. */
export async function advance(clock: ManualClock, ms: number, step = 1000, each?: (t: number) => void): Promise<void> {
  for (let t = step; t <= ms; t += step) {
    each?.(t);
    clock.advance(step);
    await flush();
  }
}
