import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { EVENT_SCHEMAS, type ServerEventName } from '../../../shared/protocol/events';
import { EventBus } from '../../../electron/engines/bus';
import { ManualClock } from '../../../electron/engines/clock';
import { createRandom } from '../../../electron/engines/random';
import { SwarmEngine, type SwarmEngineOptions } from '../../../electron/engines/swarm/swarm-engine';
import { type Db } from '../../../electron/store/database';
import { openAppDatabase } from '../../../electron/engines/migrations';

export interface Recorded {
  event: ServerEventName;
  payload: Record<string, unknown>;
  /** Simulated time when it was published. */
  at: number;
}

/** An engine on a ManualClock (simulated and real), a fixed seed and a recording bus that checks every payload against EVENT_SCHEMAS. */
export function harness(options: SwarmEngineOptions & { seed?: string; db?: Db; start?: number } = {}) {
  const { seed = 'test-seed', db = openAppDatabase(':memory:'), start, ...engineOptions } = options;
  const clock = new ManualClock(start);
  const realClock = new ManualClock(start);
  const bus = new EventBus(() => 0);
  const events: Recorded[] = [];
  const violations: string[] = [];
  bus.subscribe((event, payload) => {
    const check = EVENT_SCHEMAS[event].safeParse(payload);
    if (!check.success) violations.push(`${event}: ${check.error.message}`);
    events.push({ event, payload: payload as Record<string, unknown>, at: clock.now() });
  });
  const log = pino({ level: 'silent' });
  const engine = new SwarmEngine({ bus, db, clock, realClock, random: createRandom(seed), log }, { periodic: false, taskFailureRate: 0, ...engineOptions });
  engine.start();
  return {
    engine,
    clock,
    realClock,
    db,
    events,
    violations,
    of: (event: ServerEventName) => events.filter((e) => e.event === event).map((e) => e.payload),
    /** Events without the wall-clock timestamp, as comparable JSON. */
    trace: () => events.map((e) => JSON.stringify([e.event, { ...e.payload, timestamp: undefined }])),
    clear: () => events.splice(0),
  };
}

export function tempDir(): { dir: string; file: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'zenflow-swarm-'));
  return { dir, file: join(dir, 'zenflow.db'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs an action expected to throw a ProtocolError and returns its code, message and details. */
export function refusal(action: () => unknown): { code: string; message: string; details?: unknown } {
  try {
    action();
  } catch (error) {
    const e = error as { code?: string; message: string; details?: unknown };
    return { code: e.code ?? 'none', message: e.message, details: e.details };
  }
  throw new Error('expected a refusal');
}
