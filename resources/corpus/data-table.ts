export interface Column<T> {
  key: keyof T & string;
  label: string;
  sortable?: boolean;
  format?: (value: T[keyof T]) => string;
}

export interface TableState {
  sortKey?: string;
  descending: boolean;
  filter: string;
}

export function applyState<T extends Record<string, unknown>>(rows: T[], columns: Column<T>[], state: TableState): T[] {
  const needle = state.filter.trim().toLowerCase();
  let out = needle
    ? rows.filter((row) => columns.some((c) => String(row[c.key] ?? '').toLowerCase().includes(needle)))
    : rows.slice();
  if (state.sortKey) {
    const key = state.sortKey;
    const dir = state.descending ? -1 : 1;
    out = out.sort((a, b) => {
      const x = a[key];
      const y = b[key];
      if (x === y) return 0;
      if (x === undefined || x === null) return 1;
      if (y === undefined || y === null) return -1;
      return (x < y ? -1 : 1) * dir;
    });
  }
  return out;
}

export function toggleSort(state: TableState, key: string): TableState {
  if (state.sortKey !== key) return { ...state, sortKey: key, descending: false };
  return { ...state, descending: !state.descending };
}

export function renderCell<T>(row: T, column: Column<T>): string {
  const value = row[column.key];
  return column.format ? column.format(value) : String(value ?? '');
}
