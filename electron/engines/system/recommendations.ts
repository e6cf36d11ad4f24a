import { RECOMMENDATION_SEVERITIES } from '../../../shared/protocol/commands';
import type { SystemSettings } from '../config/schemas';
import { componentLabel } from './health';
import { round, type Prediction } from './predictions';
import type { LinearFit } from './trend';
import { WATCHED, type Level, type SwarmStats, type Thresholds, type TimedSample, type Watched } from './system-types';
import type { Recommendation } from '../../../shared/protocol/results';

export type RecommendationSeverity = (typeof RECOMMENDATION_SEVERITIES)[number];
export type RecommendationCategory = 'performance' | 'resource-usage' | 'capacity' | 'reliability';

export type { Recommendation };

export interface MeasuredState {
  sample: TimedSample;
  settings: SystemSettings;
  thresholds: Record<Watched, Thresholds>;
  levels: Record<Watched, Level>;
  predictions: Prediction[];
  /** Trend of this process's resident memory over the trend window. */
  rssTrend: LinearFit | null;
  swarms: SwarmStats;
}

/** The default sampling interval; a longer one trades chart detail and alert latency for CPU. */
const DEFAULT_SAMPLE_INTERVAL_MS = 5000;
/** Points below the warning threshold at which usage counts as approaching it. */
const APPROACH_MARGIN = 10;
/** A trend reaching its threshold sooner than this is urgent. */
const URGENT_ETA_MS = 15 * 60_000;

const MB = 1024 * 1024;
const fmtPct = (v: number) => `${v.toFixed(1)}%`;
const fmtMb = (bytes: number) => `${Math.round(bytes / MB)} MB`;
const fmtMin = (ms: number) => `${Math.max(1, Math.round(ms / 60_000))} min`;

const ACTIONS: Record<Watched, (s: MeasuredState) => string> = {
  cpu: () => 'Reduce CPU load: lower neural.maxConcurrentRuns or stop a training run, scale down busy swarms, or run system:optimize for cpu.',
  memory: () => 'Free memory: stop training runs or unload networks, lower neural.maxConcurrentRuns, or close memory-heavy applications on this host.',
  disk: (s) => `Free space on the filesystem holding ${s.sample.disk.path}, or move the data directory to a larger disk.`,
};
const CATEGORY: Record<Watched, RecommendationCategory> = { cpu: 'performance', memory: 'resource-usage', disk: 'capacity' };

function usageDetail(s: MeasuredState, c: Watched): string {
  const { sample } = s;
  if (c === 'cpu') return `on ${sample.cpu.cores} cores, load ${sample.cpu.load1.toFixed(2)}`;
  if (c === 'memory') return `${fmtMb(sample.memory.used)} of ${fmtMb(sample.memory.total)} used`;
  return `${fmtMb(sample.disk.used)} of ${fmtMb(sample.disk.total)} used`;
}

function levelRecommendation(s: MeasuredState, c: Watched): Recommendation | null {
  const value = s.sample[c].usage;
  const t = s.thresholds[c];
  const severity: RecommendationSeverity | null = value >= t.critical ? 'critical' : value >= t.warning ? 'high' : value >= t.warning - APPROACH_MARGIN ? 'medium' : null;
  if (!severity) return null;
  const label = componentLabel(c);
  const where = value >= t.warning ? 'above' : 'approaching';
  return {
    id: `${c}-usage`,
    severity,
    category: CATEGORY[c],
    component: c,
    title: `${label} usage ${where} its ${value >= t.critical ? 'critical' : 'warning'} threshold`,
    action: ACTIONS[c](s),
    reason: `${label} at ${fmtPct(value)} (${usageDetail(s, c)}); warning ${t.warning}%, critical ${t.critical}%.`,
    measured: { usage: round(value, 2), warning: t.warning, critical: t.critical },
  };
}

function trendRecommendation(s: MeasuredState, p: Prediction): Recommendation {
  const label = componentLabel(p.component);
  return {
    id: `${p.component}-trend`,
    severity: p.timeToIssue < URGENT_ETA_MS ? 'high' : 'medium',
    category: p.component === 'cpu' ? 'performance' : 'capacity',
    component: p.component,
    title: `${label} usage rising towards ${p.threshold}%`,
    action: `Find what is growing before it reaches the ${p.severity} threshold; ${ACTIONS[p.component](s)}`,
    reason:
      `${label} rising ${p.slope.toFixed(2)} points/min (R² ${p.r2.toFixed(2)} over ${p.samples} samples), ` +
      `now ${fmtPct(p.current)}: reaches ${p.threshold}% in about ${fmtMin(p.timeToIssue)}.`,
    measured: { slopePerMinute: p.slope, current: p.current, threshold: p.threshold, timeToIssueMs: p.timeToIssue, confidence: p.confidence },
  };
}

function loadRecommendation(s: MeasuredState): Recommendation | null {
  const { load1, cores } = s.sample.cpu;
  if (load1 <= cores) return null;
  return {
    id: 'cpu-load',
    severity: load1 > 2 * cores ? 'high' : 'medium',
    category: 'performance',
    component: 'cpu',
    title: 'More runnable work than CPU cores',
    action: 'Runnable work is queueing for the CPU: reduce concurrent training runs or swarm activity, or move work to another host.',
    reason: `1-minute load average ${load1.toFixed(2)} on ${cores} cores.`,
    measured: { load1: round(load1, 2), cores },
  };
}

/** A steady, substantial rise in this process's own memory looks like a leak. */
function rssRecommendation(s: MeasuredState): Recommendation | null {
  const fit = s.rssTrend;
  if (!fit || fit.slope <= 0 || fit.r2 < 0.8) return null;
  const growth = fit.slope * fit.span;
  const rss = s.sample.process.rss;
  if (growth < 20 * MB || growth < 0.1 * rss) return null;
  return {
    id: 'process-memory-growth',
    severity: rss / s.sample.memory.total >= 0.25 ? 'medium' : 'low',
    category: 'reliability',
    component: 'memory',
    title: "Zen Flow's own memory keeps growing",
    action: "Watch Zen Flow's memory: unload networks that are not needed; restart the server if it keeps growing without new work.",
    reason: `Resident memory grew by ${fmtMb(growth)} over ${fmtMin(fit.span)} (R² ${fit.r2.toFixed(2)}), now ${fmtMb(rss)}.`,
    measured: { rssBytes: rss, growthBytes: Math.round(growth), spanMs: fit.span, r2: round(fit.r2, 3) },
  };
}

function swarmRecommendation(s: MeasuredState): Recommendation | null {
  const { active, efficiency } = s.swarms;
  if (active === 0 || efficiency >= 0.5) return null;
  return {
    id: 'swarm-efficiency',
    severity: 'medium',
    category: 'performance',
    component: 'swarms',
    title: 'Swarm coordination is inefficient',
    action: 'Enable the topology optimizer (swarms.optimizerEnabled) or analyze the swarms for bottlenecks (swarm:analyze).',
    reason: `Coordination efficiency ${fmtPct(efficiency * 100)} across ${active} active swarm${active === 1 ? '' : 's'}.`,
    measured: { efficiency: round(efficiency, 3), activeSwarms: active },
  };
}

function samplingRecommendation(s: MeasuredState): Recommendation | null {
  const interval = s.settings.sampleIntervalMs;
  const cpu = s.sample.cpu.usage;
  if (interval <= DEFAULT_SAMPLE_INTERVAL_MS || cpu >= s.thresholds.cpu.warning / 2) return null;
  return {
    id: 'sampling-interval',
    severity: 'low',
    category: 'reliability',
    component: 'cpu',
    title: 'Sampling is slower than it needs to be',
    action: `Set system.sampleIntervalMs back to ${DEFAULT_SAMPLE_INTERVAL_MS} for finer charts and faster alerts.`,
    reason: `Sampling every ${interval / 1000} s while CPU is at ${fmtPct(cpu)}.`,
    measured: { sampleIntervalMs: interval, cpu: round(cpu, 2) },
  };
}

/** Everything the measured state suggests, most severe first. */
export function recommend(s: MeasuredState): Recommendation[] {
  const list = [
    ...WATCHED.map((c) => levelRecommendation(s, c)),
    ...s.predictions.map((p) => trendRecommendation(s, p)),
    loadRecommendation(s),
    rssRecommendation(s),
    swarmRecommendation(s),
    samplingRecommendation(s),
  ].filter((r): r is Recommendation => r !== null);
  return list.sort((a, b) => rankOf(b.severity) - rankOf(a.severity));
}

function rankOf(severity: RecommendationSeverity): number {
  return RECOMMENDATION_SEVERITIES.indexOf(severity);
}

export interface RecommendationFilter {
  focus?: string | string[];
  /** An exact severity, or '<severity>-and-above'. */
  severity?: string;
}

/** `focus` matches a category or a component; `severity` is exact unless it ends in '-and-above'. */
export function filterRecommendations(list: Recommendation[], filter: RecommendationFilter): Recommendation[] {
  const focus = filter.focus === undefined ? null : (Array.isArray(filter.focus) ? filter.focus : [filter.focus]).map((f) => f.toLowerCase());
  const sev = filter.severity;
  const min = sev?.endsWith('-and-above') ? rankOf(sev.slice(0, -'-and-above'.length) as RecommendationSeverity) : null;
  return list.filter((r) => {
    if (focus && !focus.includes(r.category) && !focus.includes(r.component)) return false;
    if (sev === undefined) return true;
    return min !== null ? rankOf(r.severity) >= min : r.severity === sev;
  });
}
