const pad = (n: number) => String(n).padStart(2, '0');

export function isoDate(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

export function relativeTime(from: number, to: number): string {
  const seconds = Math.round((to - from) / 1000);
  const abs = Math.abs(seconds);
  const unit = abs < 60 ? ['second', seconds] : abs < 3600 ? ['minute', seconds / 60] : abs < 86400 ? ['hour', seconds / 3600] : ['day', seconds / 86400];
  const value = Math.round(unit[1] as number);
  const label = `${Math.abs(value)} ${unit[0]}${Math.abs(value) === 1 ? '' : 's'}`;
  return value >= 0 ? `in ${label}` : `${label} ago`;
}

export function addDays(date: Date, days: number): Date {
  const copy = new Date(date.getTime());
  copy.setUTCDate(copy.getUTCDate() + days);
  return copy;
}

export function isWeekend(date: Date): boolean {
  const day = date.getUTCDay();
  return day === 0 || day === 6;
}
