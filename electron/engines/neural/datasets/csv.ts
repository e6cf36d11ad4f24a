import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { ProtocolError } from '../../../../shared/protocol/errors';
import type { Dataset, LoadedData } from './dataset-types';

export const MAX_CSV_BYTES = 50 * 1024 * 1024;

export interface CsvTable {
  features: string[];
  classes: string[];
  data: LoadedData;
}

const invalid = (message: string, details?: Record<string, unknown>) => new ProtocolError('invalid_argument', message, details);

/** Splits one line on commas; double-quoted cells may hold commas and "" escapes. */
function splitLine(line: string, lineNo: number): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  if (quoted) throw invalid(`line ${lineNo}: unterminated quote`, { line: lineNo });
  cells.push(cell.trim());
  return cells;
}

/**
 * Parses a header row then numeric feature columns with the class label in the
 * last column. Classes are numbered in order of first appearance.
 */
export function parseCsvTable(text: string): CsvTable {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  let lineNo = 0;
  let header: string[] | undefined;
  const x: number[][] = [];
  const y: number[] = [];
  const classIndex = new Map<string, number>();
  for (const raw of lines) {
    lineNo++;
    if (raw.trim() === '') continue;
    const cells = splitLine(raw, lineNo);
    if (!header) {
      if (cells.length < 2) throw invalid(`line ${lineNo}: the header needs at least one feature column and a label column`, { line: lineNo });
      header = cells;
      continue;
    }
    if (cells.length !== header.length) {
      throw invalid(`line ${lineNo}: expected ${header.length} cells like the header, found ${cells.length}`, { line: lineNo });
    }
    const row = new Array<number>(header.length - 1);
    for (let c = 0; c < row.length; c++) {
      const cell = cells[c]!;
      const value = cell === '' ? NaN : Number(cell);
      if (!Number.isFinite(value)) {
        // Positions only: the file's contents are never quoted back to a client.
        throw invalid(`line ${lineNo}, column ${c + 1}: not a number`, { line: lineNo, column: c + 1 });
      }
      row[c] = value;
    }
    const label = cells[cells.length - 1]!;
    if (label === '') throw invalid(`line ${lineNo}: empty label`, { line: lineNo });
    let cls = classIndex.get(label);
    if (cls === undefined) {
      cls = classIndex.size;
      classIndex.set(label, cls);
    }
    x.push(row);
    y.push(cls);
  }
  if (!header) throw invalid('the file is empty: expected a header row and data rows');
  if (classIndex.size < 2) {
    throw invalid(`need at least 2 classes in the last column, found ${classIndex.size}`, { classes: classIndex.size });
  }
  return { features: header.slice(0, -1), classes: [...classIndex.keys()], data: { x, y } };
}

/**
 * Cheap checks (exists, is a file, within the size limit) without reading the file,
 * so a caller can refuse a bad path up front and leave parsing to the worker.
 */
export function checkCsvFile(path: string, maxBytes = MAX_CSV_BYTES): void {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw invalid(`${path} is not a file`, { path });
    size = stat.size;
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    throw new ProtocolError('not_found', `CSV file not found: ${path}`, { path });
  }
  if (size > maxBytes) {
    throw invalid(`CSV file is ${(size / 1048576).toFixed(1)} MB, more than the ${Math.round(maxBytes / 1048576)} MB limit`, { path, size, maxBytes });
  }
}

/** Reads a CSV file, refusing missing, oversized and malformed files with a clear reason. */
export function readCsvTable(path: string, maxBytes = MAX_CSV_BYTES): CsvTable {
  checkCsvFile(path, maxBytes);
  try {
    return parseCsvTable(readFileSync(path, 'utf8'));
  } catch (error) {
    if (error instanceof ProtocolError) throw new ProtocolError(error.code, `${basename(path)}: ${error.message}`, { path, ...error.details });
    throw error;
  }
}

/** A user-supplied CSV as a dataset; the file is read once, up front, so errors surface immediately. */
export function csvDataset(path: string): Dataset {
  const table = readCsvTable(path);
  return {
    id: `csv:${basename(path)}`,
    name: basename(path),
    description: `User CSV ${path}: ${table.data.y.length} rows, ${table.features.length} features, ${table.classes.length} classes`,
    features: table.features,
    classes: table.classes,
    defaultHidden: [32, 16],
    load: () => table.data,
  };
}
