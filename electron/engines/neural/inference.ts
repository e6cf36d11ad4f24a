import { performance } from 'node:perf_hooks';
import { decodeArtifact, type ModelArtifact } from './artifact';
import { standardize } from './standardize';

export interface Prediction {
  classIndex: number;
  label: string;
  /** Probability of the predicted class, 0–1. */
  confidence: number;
  probabilities: number[];
  /** Measured time of this inference, standardization included. */
  inferenceMs: number;
}

export interface InferenceMetrics {
  avgInferenceTime: number;
  inferencesPerSecond: number;
  /** Always false: the math runs in plain JavaScript typed arrays (see mlp.ts). */
  wasmEnabled: false;
  activeNetworks: number;
  totalInferences: number;
}

/** Rolling inference measurements over a time window, plus the set of loaded networks. */
export class InferenceStats {
  private readonly samples: { at: number; ms: number }[] = [];
  private readonly loaded = new Set<string>();
  private readonly createdAt: number;
  private total = 0;

  constructor(
    private readonly windowMs = 10_000,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.createdAt = now();
  }

  record(ms: number): void {
    this.samples.push({ at: this.now(), ms });
    this.total++;
    this.prune();
  }

  register(networkId: string): void {
    this.loaded.add(networkId);
  }

  unregister(networkId: string): void {
    this.loaded.delete(networkId);
  }

  snapshot(): InferenceMetrics {
    this.prune();
    const n = this.samples.length;
    const avg = n === 0 ? 0 : this.samples.reduce((sum, s) => sum + s.ms, 0) / n;
    // Before a full window has passed, divide by the time actually observed.
    const spanMs = Math.min(this.windowMs, Math.max(1, this.now() - this.createdAt));
    return { avgInferenceTime: avg, inferencesPerSecond: (n * 1000) / spanMs, wasmEnabled: false, activeNetworks: this.loaded.size, totalInferences: this.total };
  }

  private prune(): void {
    const cutoff = this.now() - this.windowMs;
    let drop = 0;
    while (drop < this.samples.length && this.samples[drop]!.at < cutoff) drop++;
    if (drop > 0) this.samples.splice(0, drop);
  }
}

/** A trained network with its input scaling and labels, ready to classify raw feature rows. */
export class InferenceModel {
  constructor(
    readonly artifact: ModelArtifact,
    private readonly stats?: InferenceStats,
  ) {}

  static fromBytes(bytes: Uint8Array, stats?: InferenceStats): InferenceModel {
    return new InferenceModel(decodeArtifact(bytes), stats);
  }

  get features(): string[] {
    return this.artifact.features;
  }

  get classes(): string[] {
    return this.artifact.classes;
  }

  /** Features in the model's order, or by name (every feature required). */
  predict(features: readonly number[] | Readonly<Record<string, number>>): Prediction {
    const row = Array.isArray(features) ? (features as readonly number[]) : this.byName(features as Readonly<Record<string, number>>);
    const start = performance.now();
    const probabilities = this.artifact.net.predict(standardize(row, this.artifact.standardization));
    let best = 0;
    for (let c = 1; c < probabilities.length; c++) if (probabilities[c]! > probabilities[best]!) best = c;
    const inferenceMs = performance.now() - start;
    this.stats?.record(inferenceMs);
    return {
      classIndex: best,
      label: this.artifact.classes[best]!,
      confidence: probabilities[best]!,
      probabilities: Array.from(probabilities),
      inferenceMs,
    };
  }

  private byName(named: Readonly<Record<string, number>>): number[] {
    return this.artifact.features.map((name) => {
      const value = named[name];
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new RangeError(`feature "${name}" must be a finite number`);
      return value;
    });
  }
}
