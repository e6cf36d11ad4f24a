import { readCsvTable, type CsvTable } from './csv';
import { locateData } from './locate';
import type { Dataset } from './dataset-types';

let cached: CsvTable | undefined;

// Shipped as a CSV (Fisher's 1936 measurements, 150 rows, as in R's `iris`) and read with the user-CSV loader.
const table = (): CsvTable => (cached ??= readCsvTable(locateData(['iris.csv', 'electron/engines/neural/datasets/iris.csv', 'datasets/iris.csv'])));

export const irisDataset: Dataset = {
  id: 'iris',
  name: 'Iris (Fisher, 1936)',
  description: 'Sepal and petal measurements (cm) of 150 irises from three species; the classic tabular benchmark.',
  features: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'],
  classes: ['setosa', 'versicolor', 'virginica'],
  defaultHidden: [16],
  load: () => table().data,
};
