import { fitConfidence, fitLine, timeToReach, type LinearFit } from './trend';
import { componentLabel } from './health';
import type { Thresholds, TimedSample, Watched } from './system-types';
import type { Prediction } from '../../../shared/protocol/results';

export type { Prediction };

export interface PredictionPolicy {
  horizonMs: number;
  minConfidence: number;
}

/** Fewer points than this (a minute at the default 5 s) say too little about a trend. */
export const MIN_TREND_SAMPLES = 12;

/** Least-squares fit of one series over the samples (already bounded to the trend window). */
export function fitSeries(samples: readonly TimedSample[], pick: (s: TimedSample) => number): LinearFit | null {
  if (samples.length < MIN_TREND_SAMPLES) return null;
  return fitLine(samples.map((s) => ({ t: s.ts, v: pick(s) })));
}

/**
 * The next threshold above the latest value that the trend will reach within the
 * horizon, if the fit is trustworthy enough; null otherwise.
 */
export function predict(component: Watched, fit: LinearFit | null, latest: TimedSample, thresholds: Thresholds, policy: PredictionPolicy): Prediction | null {
  if (!fit) return null;
  const current = latest[component].usage;
  const severity = current < thresholds.warning ? 'warning' : current < thresholds.critical ? 'critical' : null;
  if (!severity) return null;
  const threshold = thresholds[severity];
  const eta = timeToReach(fit, threshold, latest.ts);
  const confidence = fitConfidence(fit);
  if (eta === null || eta > policy.horizonMs || confidence < policy.minConfidence) return null;
  return {
    id: `${component}:${severity}`,
    issue: `${componentLabel(component)} usage reaching ${threshold}% (${severity})`,
    component,
    confidence: round(confidence, 3),
    timeToIssue: Math.round(eta),
    severity,
    threshold,
    slope: round(fit.slope * 60_000, 4),
    current: round(current, 2),
    r2: round(fit.r2, 3),
    samples: fit.n,
  };
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
