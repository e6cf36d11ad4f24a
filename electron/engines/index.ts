import type { EventPayload } from '../../shared/protocol/events';
import type { EngineContext } from './context';

/** Where the server reports each REST request and socket command (the API metrics engine listens). */
export interface RequestSink {
  recordRequest(r: { endpoint: string; method: string; status: number; durationMs: number }): void;
}

export interface EngineOptions {
  dataDir: string;
  maxAgentsPerSwarm: number;
  /** False keeps periodic samplers and simulations idle (tests that want a silent server). */
  periodic: boolean;
}

/** All engines of one server, built from one context. */
export interface Engines {
  start(): Promise<void>;
  stop(): Promise<void>;
  latestStatus(): EventPayload<'system:status'> | null;
  requestObserver?: RequestSink;
}

export function createEngines(ctx: EngineContext, options: EngineOptions): Engines {
  void ctx;
  void options;
  return {
    async start() {},
    async stop() {},
    latestStatus: () => null,
  };
}
