export type DriftSeverity = 'info' | 'warning' | 'critical';

export interface DriftOptions {
  /** Accuracy (percent, 0–100) measured on validation data at training time. */
  baselineAccuracy: number;
  /** Recent labelled samples kept; older ones fall out. */
  windowSize?: number;
  /** Samples needed before accuracy is judged at all. */
  minSamples?: number;
  /** Accuracy drop below baseline, in percentage points, that warns. */
  warningGap?: number;
  /** Accuracy drop below baseline, in percentage points, that is critical. */
  criticalGap?: number;
}

export interface DriftReport {
  /** Percent, 0–100, over the window. */
  currentAccuracy: number;
  baselineAccuracy: number;
  /** baseline − current, percentage points (negative when doing better). */
  gap: number;
  samples: number;
  severity: DriftSeverity;
  /** Whether severity differs from the previous report, so callers alert only on changes. */
  changed: boolean;
}

/** Tracks accuracy on recent labelled predictions against the training-time baseline. */
export class DriftMonitor {
  readonly baselineAccuracy: number;
  private readonly windowSize: number;
  private readonly minSamples: number;
  private readonly warningGap: number;
  private readonly criticalGap: number;
  private readonly hits: Uint8Array;
  private cursor = 0;
  private count = 0;
  private correct = 0;
  private lastSeverity: DriftSeverity | undefined;

  constructor(options: DriftOptions) {
    this.baselineAccuracy = options.baselineAccuracy;
    this.windowSize = options.windowSize ?? 200;
    this.minSamples = options.minSamples ?? 30;
    this.warningGap = options.warningGap ?? 5;
    this.criticalGap = options.criticalGap ?? 15;
    if (!(this.warningGap >= 0 && this.criticalGap > this.warningGap)) throw new RangeError('need 0 ≤ warningGap < criticalGap');
    if (!(this.minSamples >= 1 && this.windowSize >= this.minSamples)) throw new RangeError('need 1 ≤ minSamples ≤ windowSize');
    this.hits = new Uint8Array(this.windowSize);
  }

  /** Adds one labelled outcome; returns the judgement once enough samples are in, else undefined. */
  record(predicted: number | string, actual: number | string): DriftReport | undefined {
    const hit = predicted === actual ? 1 : 0;
    if (this.count === this.windowSize) this.correct -= this.hits[this.cursor]!;
    else this.count++;
    this.hits[this.cursor] = hit;
    this.correct += hit;
    this.cursor = (this.cursor + 1) % this.windowSize;
    return this.evaluate();
  }

  evaluate(): DriftReport | undefined {
    if (this.count < this.minSamples) return undefined;
    const currentAccuracy = (100 * this.correct) / this.count;
    const gap = this.baselineAccuracy - currentAccuracy;
    const severity: DriftSeverity = gap >= this.criticalGap ? 'critical' : gap >= this.warningGap ? 'warning' : 'info';
    const changed = severity !== this.lastSeverity;
    this.lastSeverity = severity;
    return { currentAccuracy, baselineAccuracy: this.baselineAccuracy, gap, samples: this.count, severity, changed };
  }

  reset(): void {
    this.hits.fill(0);
    this.cursor = 0;
    this.count = 0;
    this.correct = 0;
    this.lastSeverity = undefined;
  }
}
