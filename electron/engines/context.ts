import type { Logger } from 'pino';
import type { Db } from '../store/database';
import type { EventBus } from './bus';
import type { Clock } from './clock';
import type { Random } from './random';

/** What every engine is built from; tests pass a ManualClock and a fixed seed. */
export interface EngineContext {
  bus: EventBus;
  db: Db;
  /** Simulated time for simulated engines (paced by --sim-speed). */
  clock: Clock;
  /** Real wall-clock time for measuring engines (system, api, neural). */
  realClock: Clock;
  random: Random;
  log: Logger;
}

export interface Engine {
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
}
