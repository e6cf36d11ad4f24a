export interface CronField {
  any: boolean;
  values: Set<number>;
}

function parseField(text: string, min: number, max: number): CronField {
  if (text === '*') return { any: true, values: new Set() };
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText ? Number(stepText) : 1;
    let from = min;
    let to = max;
    if (range && range !== '*') {
      const [a, b] = range.split('-');
      from = Number(a);
      to = b === undefined ? from : Number(b);
    }
    if (Number.isNaN(from) || Number.isNaN(to) || from < min || to > max || step < 1) {
      throw new Error(`bad cron field ${text}`);
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return { any: false, values };
}

export function parseCron(expr: string): CronField[] {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error('cron needs five fields');
  const limits: [number, number][] = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 6]];
  return parts.map((p, i) => parseField(p, limits[i]![0], limits[i]![1]));
}

export function matches(fields: CronField[], date: Date): boolean {
  const values = [date.getMinutes(), date.getHours(), date.getDate(), date.getMonth() + 1, date.getDay()];
  return fields.every((f, i) => f.any || f.values.has(values[i]!));
}

export function nextRun(fields: CronField[], after: Date): Date {
  const candidate = new Date(after.getTime());
  candidate.setSeconds(0, 0);
  for (let i = 0; i < 366 * 24 * 60; i++) {
    candidate.setMinutes(candidate.getMinutes() + 1);
    if (matches(fields, candidate)) return candidate;
  }
  throw new Error('no run within a year');
}
