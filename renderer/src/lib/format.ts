/** Numbers with units and sensible precision; relative and absolute times. */

const NBSP = '\u00a0';

function finite(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** 42.1 % — `v` in percent (0–100). */
export function pct(v: unknown, digits = 1): string {
  if (!finite(v)) return '—';
  return `${v.toFixed(digits)}${NBSP}%`;
}

/** 0–1 ratio shown as a percent. */
export function ratioPct(v: unknown, digits = 0): string {
  return finite(v) ? pct(v * 100, digits) : '—';
}

/** Three significant-ish digits: 3.21, 32.1, 321. */
function sig(v: number): string {
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  return v.toFixed(2).replace(/\.?0+$/, '') || '0';
}

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];
export function bytes(v: unknown): string {
  if (!finite(v)) return '—';
  let n = v;
  let i = 0;
  while (Math.abs(n) >= 1000 && i < BYTE_UNITS.length - 1) {
    n /= 1000;
    i++;
  }
  return `${i === 0 ? Math.round(n) : sig(n)}${NBSP}${BYTE_UNITS[i]}`;
}

/** 3.2 MB/s */
export function bytesPerSec(v: unknown): string {
  return finite(v) ? `${bytes(v)}/s` : '—';
}

/** 1.4 s, 230 ms, 2 min 3 s, 1 h 5 min. */
export function duration(ms: unknown): string {
  if (!finite(ms)) return '—';
  const a = Math.abs(ms);
  if (a === 0) return `0${NBSP}ms`;
  if (a < 1) return `${ms.toFixed(2)}${NBSP}ms`;
  if (a < 1000) return `${a < 10 ? ms.toFixed(1) : Math.round(ms)}${NBSP}ms`;
  if (a < 60_000) return `${(ms / 1000).toFixed(a < 10_000 ? 1 : 0)}${NBSP}s`;
  if (a < 3_600_000) {
    const m = Math.floor(a / 60_000);
    const s = Math.round((a % 60_000) / 1000);
    return s ? `${m}${NBSP}min ${s}${NBSP}s` : `${m}${NBSP}min`;
  }
  if (a < 86_400_000) {
    const h = Math.floor(a / 3_600_000);
    const m = Math.round((a % 3_600_000) / 60_000);
    return m ? `${h}${NBSP}h ${m}${NBSP}min` : `${h}${NBSP}h`;
  }
  const d = Math.floor(a / 86_400_000);
  const h = Math.round((a % 86_400_000) / 3_600_000);
  return h ? `${d}${NBSP}d ${h}${NBSP}h` : `${d}${NBSP}d`;
}

/** Coarse duration for "in 23 min" / "12 s ago". */
function coarse(ms: number): string {
  const a = Math.abs(ms);
  if (a < 60_000) return `${Math.max(1, Math.round(a / 1000))}${NBSP}s`;
  if (a < 3_600_000) return `${Math.round(a / 60_000)}${NBSP}min`;
  if (a < 86_400_000) {
    const h = a / 3_600_000;
    return `${h < 10 ? h.toFixed(1).replace(/\.0$/, '') : Math.round(h)}${NBSP}h`;
  }
  return `${Math.round(a / 86_400_000)}${NBSP}d`;
}

/** "12 s ago", "in 23 min"; absolute date for anything older than a day. */
export function relative(ts: unknown, now: number): string {
  if (!finite(ts)) return '—';
  const diff = ts - now;
  if (Math.abs(diff) < 1500) return 'just now';
  if (diff < -86_400_000 * 2) return dateTime(ts);
  return diff < 0 ? `${coarse(diff)} ago` : `in ${coarse(diff)}`;
}

/** "in 23 min" for a duration from now. */
export function inDuration(ms: unknown): string {
  if (!finite(ms)) return '—';
  if (ms <= 0) return 'now';
  return `in ${coarse(ms)}`;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** 14:02:11 */
export function clock(ts: unknown): string {
  if (!finite(ts)) return '—';
  const d = new Date(ts);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** 14:02:11.123 */
export function clockMs(ts: unknown): string {
  if (!finite(ts)) return '—';
  return `${clock(ts)}.${pad(new Date(ts).getMilliseconds(), 3)}`;
}

/** 2025-11-26 14:02:11 */
export function dateTime(ts: unknown): string {
  if (!finite(ts)) return '—';
  const d = new Date(ts);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clock(ts)}`;
}

export function count(v: unknown): string {
  if (!finite(v)) return '—';
  return Math.round(v).toLocaleString();
}

/** Generic number with sensible precision and an optional unit. */
export function num(v: unknown, unit = '', digits?: number): string {
  if (!finite(v)) return '—';
  const s = digits === undefined ? sig(v) : v.toFixed(digits);
  return unit ? `${s}${NBSP}${unit}` : s;
}

/** req/s */
export function rate(v: unknown, unit = '/s'): string {
  if (!finite(v)) return '—';
  return `${sig(v)}${unit}`;
}

export function shortId(id: string | null | undefined, n = 8): string {
  if (!id) return '—';
  return id.length > n + 2 ? `${id.slice(0, n)}…` : id;
}

export function titleCase(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
