/** One measurement of the host; percentages are 0–100, rates bytes per second. */
export interface HostSample {
  cpu: { usage: number; cores: number; load1: number; load5: number; load15: number };
  /** `used` excludes reclaimable cache and buffers: total − available. */
  memory: { usage: number; used: number; total: number; available: number };
  /** The filesystem holding the data directory. */
  disk: { usage: number; used: number; total: number; path: string };
  network: { rxBytesPerSec: number; txBytesPerSec: number };
  /** This process: resident memory, and CPU as a share of the whole machine (0–100). */
  process: { rss: number; cpu: number };
}

export interface Sampler {
  sample(): Promise<HostSample>;
}

/** A sample with the time it was taken (the engine's real clock). */
export type TimedSample = HostSample & { ts: number };

/** The components alert thresholds watch. */
export const WATCHED = ['cpu', 'memory', 'disk'] as const;
export type Watched = (typeof WATCHED)[number];

export type Level = 'normal' | 'warning' | 'critical';

export interface Thresholds {
  warning: number;
  critical: number;
}

export interface SwarmStats {
  active: number;
  agents: number;
  /** 0–1, as the swarm engine measures it. */
  efficiency: number;
}

export interface NeuralStats {
  activeNetworks: number;
  trainingRuns: number;
}
