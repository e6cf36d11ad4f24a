/** Samples as rows of numeric features with integer class labels (indices into `classes`). */
export interface LoadedData {
  x: number[][];
  y: number[];
}

export interface Dataset {
  id: string;
  name: string;
  description: string;
  features: string[];
  classes: string[];
  /** Hidden layer sizes used when a run's config names none. */
  defaultHidden: number[];
  load(): LoadedData;
}

/** A built-in dataset id, or a CSV file on this machine. */
export type DatasetRef = string | { csvPath: string };
