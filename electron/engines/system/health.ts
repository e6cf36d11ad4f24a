import { WATCHED, type HostSample, type Level, type Thresholds, type Watched } from './system-types';

export type Overall = 'healthy' | 'degraded' | 'critical';

export interface Health {
  overall: Overall;
  score: number;
  reasons: string[];
}

const LABEL: Record<Watched, string> = { cpu: 'CPU', memory: 'memory', disk: 'disk' };

/**
 * One component's score: 100→70 from idle to its warning threshold, 70→40 up to
 * critical, 40→0 from critical to full. Linear, so the score moves with the measurement.
 */
function componentScore(value: number, t: Thresholds): number {
  const lerp = (x: number, x0: number, x1: number, y0: number, y1: number) => (x1 <= x0 ? y1 : y0 + ((Math.min(Math.max(x, x0), x1) - x0) / (x1 - x0)) * (y1 - y0));
  if (value < t.warning) return lerp(value, 0, t.warning, 100, 70);
  if (value < t.critical) return lerp(value, t.warning, t.critical, 70, 40);
  return lerp(value, t.critical, 100, 40, 0);
}

/**
 * Overall health follows the debounced alert levels (so it agrees with the alerts
 * list and does not flap); the score follows the latest measurement.
 */
export function assessHealth(sample: HostSample, levels: Record<Watched, Level>, thresholds: Record<Watched, Thresholds>, extraReasons: string[] = []): Health {
  let score = 100;
  const reasons: string[] = [];
  let overall: Overall = 'healthy';
  for (const c of WATCHED) {
    const value = sample[c].usage;
    score = Math.min(score, componentScore(value, thresholds[c]));
    const level = levels[c];
    if (level === 'normal') continue;
    reasons.push(`${LABEL[c]} ${value.toFixed(1)}% (${level}; threshold ${thresholds[c][level]}%)`);
    if (level === 'critical') overall = 'critical';
    else if (overall === 'healthy') overall = 'degraded';
  }
  return { overall, score: Math.round(score), reasons: [...reasons, ...extraReasons] };
}

export function componentLabel(c: Watched): string {
  return LABEL[c];
}
