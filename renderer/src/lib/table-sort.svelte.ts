/** Column sorting for a table: click a header to sort by it, click again to reverse. */
export type SortDir = 'asc' | 'desc';
export type SortValue = string | number | null | undefined;

export class TableSort<K extends string> {
  key = $state<K | null>(null);
  dir = $state<SortDir>('asc');

  constructor(initial?: { key: K; dir?: SortDir }) {
    if (initial) {
      this.key = initial.key;
      this.dir = initial.dir ?? 'asc';
    }
  }

  toggle(key: K): void {
    if (this.key === key) this.dir = this.dir === 'asc' ? 'desc' : 'asc';
    else {
      this.key = key;
      this.dir = 'asc';
    }
  }

  ariaSort(key: K): 'ascending' | 'descending' | 'none' {
    return this.key !== key ? 'none' : this.dir === 'asc' ? 'ascending' : 'descending';
  }

  /** The rows sorted by the chosen column (missing values last), or as given when none is chosen. */
  apply<R>(rows: R[], value: (row: R, key: K) => SortValue): R[] {
    const key = this.key;
    if (!key) return rows;
    const sign = this.dir === 'asc' ? 1 : -1;
    return [...rows].sort((a, b) => {
      const x = value(a, key);
      const y = value(b, key);
      if (x == null || x === '') return y == null || y === '' ? 0 : 1;
      if (y == null || y === '') return -1;
      return sign * (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true }));
    });
  }
}
