import { isCodeRiskModel } from './code-risk';
import { codeAnalyzerDataset } from './datasets/code-analyzer';
import { DriftMonitor, type DriftReport, type DriftSeverity } from './drift';
import { InferenceModel, type InferenceStats } from './inference';
import type { StoredModel } from './run-store';

export interface DriftGaps {
  /** Accuracy points below baseline that warn. */
  warningGap: number;
  /** Accuracy points below baseline that are critical. */
  criticalGap: number;
}

/** A trained network in memory, ready for inference, with its drift monitor. */
export type LoadedModel = Omit<StoredModel, 'weights'> & {
  model: InferenceModel;
  drift: DriftMonitor;
  /** The severity last reported for this model; starts at 'info'. */
  severity: DriftSeverity;
  lastReport?: DriftReport;
};

/** The newest model of each network, every inference measured in one InferenceStats. */
export class ModelRegistry {
  private readonly byNetwork = new Map<string, LoadedModel>();

  constructor(
    readonly stats: InferenceStats,
    private gaps: DriftGaps,
  ) {}

  /** Decodes stored weights and makes them the network's model (replacing an older one). */
  load(stored: StoredModel): LoadedModel {
    const entry: LoadedModel = {
      modelId: stored.modelId,
      networkId: stored.networkId,
      networkType: stored.networkType,
      datasetId: stored.datasetId,
      baselineAccuracy: stored.baselineAccuracy,
      trainedAt: stored.trainedAt,
      model: InferenceModel.fromBytes(stored.weights, this.stats),
      drift: this.monitor(stored.baselineAccuracy),
      severity: 'info',
    };
    this.byNetwork.set(stored.networkId, entry);
    this.stats.register(stored.networkId);
    return entry;
  }

  get(networkId: string): LoadedModel | undefined {
    return this.byNetwork.get(networkId);
  }

  all(): LoadedModel[] {
    return [...this.byNetwork.values()];
  }

  get size(): number {
    return this.byNetwork.size;
  }

  /** The most recently trained model on the code-analyzer dataset, whichever network holds it. */
  codeModel(): LoadedModel | undefined {
    let best: LoadedModel | undefined;
    for (const m of this.byNetwork.values()) {
      if (m.datasetId !== codeAnalyzerDataset.id || !isCodeRiskModel(m.model)) continue;
      if (!best || m.trainedAt > best.trainedAt) best = m;
    }
    return best;
  }

  /** New gaps apply to fresh windows: the old samples were judged against the old thresholds. */
  setGaps(gaps: DriftGaps): void {
    if (gaps.warningGap === this.gaps.warningGap && gaps.criticalGap === this.gaps.criticalGap) return;
    this.gaps = gaps;
    for (const m of this.byNetwork.values()) {
      m.drift = this.monitor(m.baselineAccuracy);
      m.severity = 'info';
      delete m.lastReport;
    }
  }

  /** Records one labelled outcome; returns the report when the model's severity changed. */
  observe(entry: LoadedModel, predicted: string, actual: string): DriftReport | undefined {
    const report = entry.drift.record(predicted, actual);
    if (!report) return undefined;
    entry.lastReport = report;
    if (report.severity === entry.severity) return undefined;
    entry.severity = report.severity;
    return report;
  }

  private monitor(baselineAccuracy: number): DriftMonitor {
    return new DriftMonitor({ baselineAccuracy, warningGap: this.gaps.warningGap, criticalGap: this.gaps.criticalGap });
  }
}
