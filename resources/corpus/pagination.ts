export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
  pages: number;
}

export function paginate<T>(items: T[], page: number, pageSize: number): Page<T> {
  const size = Math.max(1, Math.floor(pageSize));
  const pages = Math.max(1, Math.ceil(items.length / size));
  const current = Math.min(Math.max(1, Math.floor(page)), pages);
  const start = (current - 1) * size;
  return { items: items.slice(start, start + size), page: current, pageSize: size, total: items.length, pages };
}

export function pageNumbers(current: number, pages: number, span = 2): (number | '…')[] {
  const result: (number | '…')[] = [];
  for (let p = 1; p <= pages; p++) {
    const near = Math.abs(p - current) <= span;
    if (p === 1 || p === pages || near) {
      result.push(p);
    } else if (result[result.length - 1] !== '…') {
      result.push('…');
    }
  }
  return result;
}
