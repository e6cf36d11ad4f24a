import { CodeAnalysisService } from './analysis/run-analysis';
import { ApiMetricsEngine, type RequestRecord } from './api/api-engine';
import { ConfigEngine } from './config/config-engine';
import { Optimizer } from './config/system-optimizer';
import type { EngineContext } from './context';
import { NeuralEngine } from './neural/neural-engine';
import { SwarmEngine } from './swarm/swarm-engine';
import { SystemEngine } from './system/system-engine';
import { HostSampler } from './system/sampler';

/** Where the server reports each REST request and socket command (the API metrics engine listens). */
export interface RequestSink {
  recordRequest(r: RequestRecord): void;
  setConnections(n: number): void;
}

export interface EngineOptions {
  dataDir: string;
  /** False keeps periodic samplers and simulations idle (tests that want a silent server). */
  periodic: boolean;
  /** Training on a CSV file by path: the desktop app only (default false). */
  allowCsv?: boolean;
  /** Hard limit on one code analysis (default 10 s). */
  analysisTimeoutMs?: number;
  /** Runs a task gets when server stops keep interrupting it (SwarmEngine `taskAttempts`). */
  taskAttempts?: number;
}

/** All engines of one server, built from one context. */
export interface Engines {
  readonly config: ConfigEngine;
  readonly system: SystemEngine;
  readonly api: ApiMetricsEngine;
  readonly optimizer: Optimizer;
  readonly requestObserver: RequestSink;
  readonly neural: NeuralEngine;
  readonly analysis: CodeAnalysisService;
  readonly swarms: SwarmEngine;
  start(): Promise<void>;
  stop(): Promise<void>;
  latestStatus(): ReturnType<SystemEngine['latestStatus']>;
}

export function createEngines(ctx: EngineContext, options: EngineOptions): Engines {
  const config = new ConfigEngine(ctx);
  const neural = new NeuralEngine(ctx, { allowCsv: options.allowCsv ?? false, settings: config.source('neural'), periodic: options.periodic });
  // Analyses are graded by the newest trained code-analyzer network, when there is one.
  const analysis = new CodeAnalysisService({ grader: neural, timeoutMs: options.analysisTimeoutMs });
  const swarms = new SwarmEngine(ctx, { settings: config.source('swarms'), periodic: options.periodic, taskAttempts: options.taskAttempts });
  const stats = { swarmStats: () => swarms.stats(), neuralStats: () => neural.stats() };
  const system = new SystemEngine(ctx, { sampler: new HostSampler({ diskPath: options.dataDir }), settings: config.source('system'), ...stats });
  const api = new ApiMetricsEngine(ctx, { settings: config.source('api') });
  const optimizer = new Optimizer({ bus: ctx.bus, config, system, api, ...stats });
  const periodic = [system, api];
  return {
    config,
    system,
    api,
    optimizer,
    requestObserver: api,
    neural,
    analysis,
    swarms,
    async start() {
      swarms.start();
      neural.start();
      if (options.periodic) for (const e of periodic) await e.start();
    },
    async stop() {
      swarms.stop();
      await neural.stop();
      await analysis.close();
      for (const e of periodic) await e.stop();
    },
    latestStatus: () => system.latestStatus(),
  };
}
