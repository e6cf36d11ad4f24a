import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../shared/protocol/errors';
import { checkCsvFile, csvDataset, MAX_CSV_BYTES, parseCsvTable, readCsvTable } from '../../../electron/engines/neural/datasets/csv';

const dir = mkdtempSync(join(tmpdir(), 'zenflow-csv-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return error instanceof ProtocolError ? error.code : 'other';
  }
  return undefined;
};

describe('CSV loader', () => {
  it('reads header, numeric features and labels in first-seen order', () => {
    const table = parseCsvTable('a,b,"kind, of"\r\n1,2.5,"yes"\n\n-3,4e2,no\n');
    expect(table.features).toEqual(['a', 'b']);
    expect(table.classes).toEqual(['yes', 'no']);
    expect(table.data).toEqual({
      x: [
        [1, 2.5],
        [-3, 400],
      ],
      y: [0, 1],
    });
  });

  it('refuses a missing file as not_found and a directory as invalid', () => {
    expect(codeOf(() => readCsvTable(join(dir, 'nope.csv')))).toBe('not_found');
    expect(codeOf(() => checkCsvFile(dir))).toBe('invalid_argument');
  });

  it('names the line and column of a non-numeric cell, never its contents', () => {
    const path = file('bad.csv', 'x,secret-header,label\n1,2,a\n3,s3cr3t-value,b\n');
    let message = '';
    try {
      readCsvTable(path);
    } catch (err) {
      message = `${(err as Error).message} ${JSON.stringify((err as { details?: unknown }).details)}`;
    }
    expect(message).toContain('line 3, column 2: not a number');
    expect(message).not.toMatch(/s3cr3t|secret-header/);
    expect(() => parseCsvTable('x,label\n,a\n')).toThrow(/line 2, column 1: not a number/);
  });

  it('refuses ragged rows, fewer than two classes and empty files', () => {
    expect(() => parseCsvTable('x,y,label\n1,2\n')).toThrow(/line 2: expected 3 cells/);
    expect(() => parseCsvTable('x,label\n1,a\n2,a\n')).toThrow(/at least 2 classes/);
    expect(() => parseCsvTable('\n\n')).toThrow(/empty/);
    expect(() => parseCsvTable('label\n')).toThrow(/at least one feature column/);
  });

  it('refuses files over 50 MB before reading them', () => {
    const path = file('huge.csv', 'x,label\n');
    truncateSync(path, MAX_CSV_BYTES + 1); // sparse: no 50 MB written
    expect(() => checkCsvFile(path)).toThrow(/more than the 50 MB limit/);
    expect(codeOf(() => readCsvTable(path))).toBe('invalid_argument');
  });

  it('makes a dataset from a good file', () => {
    const rows = ['f1,f2,cls', ...Array.from({ length: 20 }, (_, i) => `${i},${i % 3},${i < 10 ? 'lo' : 'hi'}`)];
    const dataset = csvDataset(file('good.csv', rows.join('\n')));
    expect(dataset).toMatchObject({ id: 'csv:good.csv', features: ['f1', 'f2'], classes: ['lo', 'hi'] });
    expect(dataset.load().x).toHaveLength(20);
  });
});
