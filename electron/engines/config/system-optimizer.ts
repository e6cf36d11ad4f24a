import type { CommandArgs } from '../../../shared/protocol/command-table';
import type { OPTIMIZE_STRATEGIES, OPTIMIZE_TARGETS } from '../../../shared/protocol/commands';
import type { ApiMetrics } from '../api/api-engine';
import type { EventBus } from '../bus';
import type { SystemMeasurement } from '../system/system-engine';
import type { NeuralStats, SwarmStats, TimedSample } from '../system/system-types';
import type { ConfigEngine } from './config-engine';
import { defaultsOf, type ApiSettings, type ConfigComponent, type NeuralSettings, type SwarmsSettings, type SystemSettings } from './schemas';

type Target = (typeof OPTIMIZE_TARGETS)[number];
type Strategy = (typeof OPTIMIZE_STRATEGIES)[number];
export type OptimizeArgs = CommandArgs<'system:optimize'>;

/** Estimated effect of a change: fractions of the whole machine's CPU and memory, and of alert latency. Negative is a saving. */
export interface Estimate {
  cpuIncrease: number;
  memoryIncrease: number;
  latencyIncrease: number;
}

interface Proposal {
  target: Target;
  component: ConfigComponent;
  setting: string;
  from: number | boolean;
  to: number | boolean;
  reason: string;
  estimate: Estimate;
  /** For `api:optimization:applied`. */
  improvement: { type: string; expectedImprovement: string };
}

export type AppliedChange = Omit<Proposal, 'improvement'> & { version: number };
export interface SkippedTarget {
  target: Target;
  reason: string;
  setting?: string;
  proposed?: number | boolean;
}
export interface OptimizeResult {
  applied: AppliedChange[];
  skipped: SkippedTarget[];
  strategy: Strategy;
  safetyLimits: { maxCpuIncrease: number; maxMemoryIncrease: number; maxLatencyIncrease?: number };
  measuredAt: number;
}

interface Measured {
  sample: TimedSample;
  samplingCpuMs: number | null;
  system: SystemSettings;
  api: ApiMetrics;
  apiSettings: ApiSettings;
  neural: NeuralStats;
  neuralSettings: NeuralSettings;
  swarms: SwarmStats;
  swarmsSettings: SwarmsSettings;
}

/** How far each strategy moves a setting, and the safety limits it uses when the caller gives none. */
const STRATEGY: Record<Strategy, { factor: number; step: number; headroom: number; limits: { maxCpuIncrease: number; maxMemoryIncrease: number } }> = {
  conservative: { factor: 1.5, step: 1, headroom: 1.25, limits: { maxCpuIncrease: 0.02, maxMemoryIncrease: 0.02 } },
  balanced: { factor: 2, step: 1, headroom: 1.1, limits: { maxCpuIncrease: 0.05, maxMemoryIncrease: 0.05 } },
  aggressive: { factor: 3, step: 2, headroom: 1, limits: { maxCpuIncrease: 0.15, maxMemoryIncrease: 0.15 } },
};
const MAX_SAMPLE_INTERVAL_MS = 60_000;
const DEFAULT_SAMPLE_INTERVAL_MS = defaultsOf('system').sampleIntervalMs;
const DEFAULT_SLOW_THRESHOLD_MS = defaultsOf('api').slowRequestThresholdMs;
/** Fewer requests than this in the window say too little about latency. */
const MIN_REQUESTS = 20;

const pct = (v: number, digits = 1) => `${v.toFixed(digits)}%`;
const share = (fraction: number) => pct(fraction * 100, 3);
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const none: Estimate = { cpuIncrease: 0, memoryIncrease: 0, latencyIncrease: 0 };

type Rule = (m: Measured, strategy: Strategy) => Proposal[] | string;

/** Sampling costs CPU in proportion to its frequency; the tick's measured CPU time prices the change. */
const cpuRule: Rule = (m, strategy) => {
  const { usage, cores, load1 } = m.sample.cpu;
  const from = m.system.sampleIntervalMs;
  const state = `CPU at ${pct(usage)} (warning ${m.system.cpuWarning}%), load ${load1.toFixed(2)} on ${cores} cores`;
  const busy = usage >= m.system.cpuWarning || load1 > cores;
  const idle = usage < m.system.cpuWarning / 2 && load1 < cores;
  if (!busy && !(idle && from > DEFAULT_SAMPLE_INTERVAL_MS)) return `${state}: no change needed`;
  if (m.samplingCpuMs === null) return `${state}, but the cost of sampling is not measured yet`;
  const factor = STRATEGY[strategy].factor;
  const to = busy ? Math.min(MAX_SAMPLE_INTERVAL_MS, Math.round((from * factor) / 1000) * 1000) : Math.max(DEFAULT_SAMPLE_INTERVAL_MS, Math.round(from / factor / 1000) * 1000);
  if (to === from) return `${state}, but sampling is already every ${from / 1000} s`;
  const cpuIncrease = (m.samplingCpuMs / cores) * (1 / to - 1 / from);
  const tick = `one sampling tick costs up to ${m.samplingCpuMs.toFixed(2)} ms CPU`;
  const effect = busy ? `saves up to ${share(-cpuIncrease)} of CPU` : `costs up to ${share(cpuIncrease)} more CPU`;
  return [
    {
      target: 'cpu',
      component: 'system',
      setting: 'sampleIntervalMs',
      from,
      to,
      reason: `${state}; ${tick}: sampling every ${to / 1000} s instead of ${from / 1000} s ${effect} and changes alert latency by ${to - from > 0 ? '+' : ''}${(to - from) / 1000} s`,
      estimate: { cpuIncrease, memoryIncrease: 0, latencyIncrease: to / from - 1 },
      improvement: { type: 'sampling-interval', expectedImprovement: effect },
    },
  ];
};

const memoryRule: Rule = (m) => {
  const { usage, total } = m.sample.memory;
  const rss = m.sample.process.rss;
  const state = `memory at ${pct(usage)} (warning ${m.system.memoryWarning}%)`;
  if (usage < m.system.memoryWarning) return `${state}: nothing to relieve`;
  const { trainingRuns } = m.neural;
  const cap = m.neuralSettings.maxConcurrentRuns;
  if (trainingRuns === 0 || cap <= 1) {
    return `${state}, but Zen Flow holds ${mb(rss)} (${pct((rss / total) * 100)}) and ${trainingRuns === 0 ? 'runs no training' : 'already allows one training run'}: no Zen Flow setting would relieve it`;
  }
  // Assumes each run accounts for an equal share of this process's memory.
  const perRun = rss / total / trainingRuns;
  return [
    {
      target: 'memory',
      component: 'neural',
      setting: 'maxConcurrentRuns',
      from: cap,
      to: cap - 1,
      reason: `${state}; Zen Flow holds ${mb(rss)} with ${trainingRuns} training run${trainingRuns === 1 ? '' : 's'}: one run fewer frees about ${mb(perRun * total)} as runs finish`,
      estimate: { cpuIncrease: 0, memoryIncrease: -perRun, latencyIncrease: 0 },
      improvement: { type: 'concurrent-training-runs', expectedImprovement: `about ${mb(perRun * total)} less memory` },
    },
  ];
};

/** A saturated run cap on an idle machine may go up; under CPU pressure it comes down. Costs scale with the measured per-run share. */
const neuralRule: Rule = (m, strategy) => {
  const { trainingRuns } = m.neural;
  const cap = m.neuralSettings.maxConcurrentRuns;
  const cpu = m.sample.cpu.usage;
  const state = `${trainingRuns} training run${trainingRuns === 1 ? '' : 's'} of at most ${cap}, CPU at ${pct(cpu)}, memory at ${pct(m.sample.memory.usage)}`;
  if (trainingRuns === 0) return `${state}: no training to tune`;
  const cpuPerRun = m.sample.process.cpu / 100 / trainingRuns;
  const memPerRun = m.sample.process.rss / m.sample.memory.total / trainingRuns;
  if (cpu >= m.system.cpuWarning && cap > 1) {
    return [
      {
        target: 'neural',
        component: 'neural',
        setting: 'maxConcurrentRuns',
        from: cap,
        to: cap - 1,
        reason: `${state} (warning ${m.system.cpuWarning}%); each run uses about ${share(cpuPerRun)} of CPU: one run fewer`,
        estimate: { cpuIncrease: -cpuPerRun, memoryIncrease: -memPerRun, latencyIncrease: 0 },
        improvement: { type: 'concurrent-training-runs', expectedImprovement: `about ${share(cpuPerRun)} less CPU` },
      },
    ];
  }
  const roomy = cpu < m.system.cpuWarning / 2 && m.sample.memory.usage < m.system.memoryWarning / 2;
  if (trainingRuns >= cap && roomy) {
    const step = STRATEGY[strategy].step;
    return [
      {
        target: 'neural',
        component: 'neural',
        setting: 'maxConcurrentRuns',
        from: cap,
        to: Math.min(64, cap + step),
        reason: `${state}: every slot is busy and the host has headroom; each run uses about ${share(cpuPerRun)} of CPU and ${share(memPerRun)} of memory`,
        estimate: { cpuIncrease: cpuPerRun * step, memoryIncrease: memPerRun * step, latencyIncrease: 0 },
        improvement: { type: 'concurrent-training-runs', expectedImprovement: `${step} more concurrent training run${step === 1 ? '' : 's'}` },
      },
    ];
  }
  return `${state}: no change needed`;
};

/** A threshold far below the typical latency flags most requests, which hides the real outliers. */
const apiRule: Rule = (m, strategy) => {
  const { requests, p95ResponseTime: p95, slowRequests, windowMs } = m.api;
  const threshold = m.apiSettings.slowRequestThresholdMs;
  if (requests < MIN_REQUESTS) return `only ${requests} requests in the last ${windowMs / 1000} s: too few to judge latency`;
  const state = `p95 ${Math.round(p95)} ms over ${requests} requests against the ${threshold} ms slow-request threshold`;
  const slowShare = slowRequests / requests;
  const target = (value: number) => Math.ceil(value / 100) * 100;
  let to: number | null = null;
  if (p95 > 2 * threshold) to = target(p95 * STRATEGY[strategy].headroom);
  else if (p95 < threshold / 4 && threshold > DEFAULT_SLOW_THRESHOLD_MS) to = Math.max(DEFAULT_SLOW_THRESHOLD_MS, target(p95 * 2));
  if (to === null || to === threshold) return `${state}: the threshold fits`;
  const expectedImprovement =
    to > threshold ? `slow-request alerts for about 5% of requests instead of ${pct(slowShare * 100)}` : `slow requests flagged from ${to} ms instead of ${threshold} ms`;
  return [
    {
      target: 'api',
      component: 'api',
      setting: 'slowRequestThresholdMs',
      from: threshold,
      to,
      reason: `${state} (${pct(slowShare * 100)} flagged slow)`,
      estimate: none,
      improvement: { type: 'slow-request-threshold', expectedImprovement },
    },
  ];
};

const swarmsRule: Rule = (m) => {
  const { active, efficiency } = m.swarms;
  if (active === 0) return 'no active swarms to optimize';
  const state = `${active} active swarm${active === 1 ? '' : 's'} at ${pct(efficiency * 100)} coordination efficiency`;
  if (efficiency >= 0.5 || m.swarmsSettings.optimizerEnabled) {
    return `${state}${m.swarmsSettings.optimizerEnabled ? ' with the topology optimizer on' : ''}: no change needed`;
  }
  return [
    {
      target: 'swarms',
      component: 'swarms',
      setting: 'optimizerEnabled',
      from: false,
      to: true,
      reason: `${state}: the topology optimizer adapts topologies to their measured coordination cost`,
      estimate: none,
      improvement: { type: 'topology-optimizer', expectedImprovement: 'topologies follow measured coordination cost' },
    },
  ];
};

const diskRule: Rule = (m) => `disk at ${pct(m.sample.disk.usage)} of ${m.sample.disk.path} (warning ${m.system.diskWarning}%): no Zen Flow setting changes it materially`;
const networkRule: Rule = (m) =>
  `network receiving ${(m.sample.network.rxBytesPerSec / 1024).toFixed(1)} KB/s and sending ${(m.sample.network.txBytesPerSec / 1024).toFixed(1)} KB/s: no Zen Flow setting to tune`;

const RULES: Record<Target, Rule> = {
  cpu: cpuRule,
  memory: memoryRule,
  disk: diskRule,
  network: networkRule,
  swarms: swarmsRule,
  neural: neuralRule,
  api: apiRule,
};

export interface OptimizerDeps {
  bus: EventBus;
  config: ConfigEngine;
  system: { measurement(): Promise<SystemMeasurement> };
  api: { snapshot(): ApiMetrics };
  swarmStats?: () => SwarmStats;
  neuralStats?: () => NeuralStats;
}

/**
 * `system:optimize`: proposes setting changes from the measured state, applies the
 * ones whose estimated cost stays inside the safety limits through the audited
 * config path, and says for every target what it did or why not.
 */
export class Optimizer {
  constructor(private readonly deps: OptimizerDeps) {}

  async optimize(args: OptimizeArgs, actor: string): Promise<OptimizeResult> {
    const m = await this.measure();
    const strategy = args.strategy;
    const given = Object.fromEntries(Object.entries(args.safetyLimits ?? {}).filter(([, v]) => v !== undefined));
    const limits: OptimizeResult['safetyLimits'] = { ...STRATEGY[strategy].limits, ...given };
    const applied: AppliedChange[] = [];
    const skipped: SkippedTarget[] = [];
    const accepted: Proposal[] = [];
    const spent = { cpu: 0, memory: 0 };

    for (const target of new Set(args.targets)) {
      const outcome = RULES[target](m, strategy);
      if (typeof outcome === 'string') {
        skipped.push({ target, reason: outcome });
        continue;
      }
      for (const p of outcome) {
        const earlier = accepted.find((a) => a.component === p.component && a.setting === p.setting);
        const refusal = earlier ? `${p.component}.${p.setting} is already changed for ${earlier.target}` : this.outsideLimits(p.estimate, spent, limits);
        if (refusal) {
          skipped.push({ target, setting: `${p.component}.${p.setting}`, proposed: p.to, reason: `${p.reason}; not applied: ${refusal}` });
          continue;
        }
        spent.cpu += Math.max(0, p.estimate.cpuIncrease);
        spent.memory += Math.max(0, p.estimate.memoryIncrease);
        accepted.push(p);
      }
    }

    // Every change is validated before any is written, so a refusal leaves nothing half-applied.
    const groups = [...groupBy(accepted)].map(([component, proposals]) => ({
      component,
      proposals,
      settings: Object.fromEntries(proposals.map((p) => [p.setting, p.to])),
    }));
    for (const g of groups) this.deps.config.update({ component: g.component, settings: g.settings, dryRun: true }, actor);
    for (const g of groups) {
      const reason = g.proposals.map((p) => p.reason).join(' | ');
      const { version } = this.deps.config.update({ component: g.component, settings: g.settings }, actor, { action: 'optimize', reason });
      for (const p of g.proposals) {
        const { target, component, setting, from, to, reason: why, estimate } = p;
        applied.push({ target, component, setting, from, to, reason: why, estimate, version });
      }
    }

    if (applied.length > 0) this.deps.bus.publish('system:optimization:applied', { applied, strategy, actor });
    for (const p of accepted) if (p.target === 'api') this.deps.bus.publish('api:optimization:applied', { ...p.improvement, setting: p.setting, from: p.from, to: p.to });
    return { applied, skipped, strategy, safetyLimits: limits, measuredAt: m.sample.ts };
  }

  private outsideLimits(e: Estimate, spent: { cpu: number; memory: number }, limits: OptimizeResult['safetyLimits']): string | null {
    if (e.cpuIncrease > 0 && spent.cpu + e.cpuIncrease > limits.maxCpuIncrease) {
      return `estimated CPU increase ${share(spent.cpu + e.cpuIncrease)} exceeds maxCpuIncrease ${share(limits.maxCpuIncrease)}`;
    }
    if (e.memoryIncrease > 0 && spent.memory + e.memoryIncrease > limits.maxMemoryIncrease) {
      return `estimated memory increase ${share(spent.memory + e.memoryIncrease)} exceeds maxMemoryIncrease ${share(limits.maxMemoryIncrease)}`;
    }
    if (limits.maxLatencyIncrease !== undefined && e.latencyIncrease > limits.maxLatencyIncrease) {
      return `alert latency would rise ${pct(e.latencyIncrease * 100, 0)}, over maxLatencyIncrease ${pct(limits.maxLatencyIncrease * 100, 0)}`;
    }
    return null;
  }

  private async measure(): Promise<Measured> {
    const { sample, settings, samplingCpuMs } = await this.deps.system.measurement();
    const { config } = this.deps;
    return {
      sample,
      samplingCpuMs,
      system: settings,
      api: this.deps.api.snapshot(),
      apiSettings: config.get('api'),
      neural: this.deps.neuralStats?.() ?? { activeNetworks: 0, trainingRuns: 0 },
      neuralSettings: config.get('neural'),
      swarms: this.deps.swarmStats?.() ?? { active: 0, agents: 0, efficiency: 0 },
      swarmsSettings: config.get('swarms'),
    };
  }
}

function groupBy(proposals: Proposal[]): Map<ConfigComponent, Proposal[]> {
  const groups = new Map<ConfigComponent, Proposal[]>();
  for (const p of proposals) groups.set(p.component, [...(groups.get(p.component) ?? []), p]);
  return groups;
}
