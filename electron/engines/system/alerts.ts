import type { Level, Thresholds, Watched } from './system-types';

export interface AlertPolicy {
  thresholds: Record<Watched, Thresholds>;
  /** Points below a threshold a value must fall before that level clears. */
  hysteresis: number;
  /** How long a crossing or a clearing must hold before the level changes. */
  minDurationMs: number;
}

export interface LevelChange {
  component: Watched;
  from: Level;
  to: Level;
  value: number;
  /** The threshold crossed (going up) or cleared (going down). */
  threshold: number;
}

/** One threshold's condition: on once the value stays at/above it, off once it stays below it minus hysteresis. */
interface Condition {
  on: boolean;
  pendingSince: number | null;
}

function step(c: Condition, crossing: boolean, clearing: boolean, now: number, minDurationMs: number): void {
  const wants = c.on ? clearing : crossing;
  if (!wants) {
    c.pendingSince = null;
    return;
  }
  c.pendingSince ??= now;
  if (now - c.pendingSince >= minDurationMs) {
    c.on = !c.on;
    c.pendingSince = null;
  }
}

/**
 * Turns measured values into debounced alert levels per component. Hysteresis and
 * the minimum duration keep a value hovering around a threshold from flapping.
 */
export class AlertMonitor {
  private readonly state = new Map<Watched, { warning: Condition; critical: Condition }>();

  level(component: Watched): Level {
    const s = this.state.get(component);
    if (s?.critical.on) return 'critical';
    if (s?.warning.on) return 'warning';
    return 'normal';
  }

  observe(component: Watched, value: number, now: number, policy: AlertPolicy): LevelChange | null {
    const t = policy.thresholds[component];
    let s = this.state.get(component);
    if (!s) this.state.set(component, (s = { warning: { on: false, pendingSince: null }, critical: { on: false, pendingSince: null } }));
    const from = this.level(component);
    for (const [name, condition] of [
      ['warning', s.warning],
      ['critical', s.critical],
    ] as const) {
      const threshold = t[name];
      step(condition, value >= threshold, value < threshold - policy.hysteresis, now, policy.minDurationMs);
    }
    const to = this.level(component);
    if (to === from) return null;
    const goingUp = rank(to) > rank(from);
    const threshold = goingUp ? t[to as 'warning' | 'critical'] : t[from as 'warning' | 'critical'];
    return { component, from, to, value, threshold };
  }
}

export function rank(level: Level): number {
  return level === 'critical' ? 2 : level === 'warning' ? 1 : 0;
}

const LABEL: Record<Watched, string> = { cpu: 'CPU', memory: 'Memory', disk: 'Disk' };

/** The alert text a person reads; cites the measured value and the threshold. */
export function describeChange(change: LevelChange, policy: AlertPolicy): string {
  const label = LABEL[change.component];
  const value = `${change.value.toFixed(1)}%`;
  const held = policy.minDurationMs > 0 ? ` for ${Math.round(policy.minDurationMs / 1000)} s` : '';
  if (change.to === 'normal') {
    return `${label} usage recovered: ${value}, below the ${change.from} threshold ${change.threshold}% (less ${policy.hysteresis} points hysteresis)${held}`;
  }
  if (rank(change.to) > rank(change.from)) {
    return `${label} usage ${value} at or above the ${change.to} threshold ${change.threshold}%${held}`;
  }
  // critical → warning: the value may already sit below the warning threshold while that level waits out its own clearing.
  const warning = policy.thresholds[change.component].warning;
  const eased = `${label} usage eased to ${value}, below the critical threshold ${change.threshold}%`;
  if (change.value >= warning) return `${eased}; still at or above the warning threshold ${warning}%`;
  return `${eased}; the warning level clears once usage stays below ${warning - policy.hysteresis}%${held}`;
}
