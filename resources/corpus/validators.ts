export type Validation = { ok: true } | { ok: false; reason: string };

const ok: Validation = { ok: true };
const fail = (reason: string): Validation => ({ ok: false, reason });

export function email(value: string): Validation {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) ? ok : fail('not an email address');
}

export function length(value: string, min: number, max: number): Validation {
  if (value.length < min) return fail(`at least ${min} characters`);
  if (value.length > max) return fail(`at most ${max} characters`);
  return ok;
}

export function password(value: string): Validation {
  const checks: [RegExp, string][] = [
    [/[a-z]/, 'a lowercase letter'],
    [/[A-Z]/, 'an uppercase letter'],
    [/\d/, 'a digit'],
  ];
  const missing = checks.filter(([re]) => !re.test(value)).map(([, label]) => label);
  if (missing.length > 0) return fail(`needs ${missing.join(', ')}`);
  return length(value, 10, 128);
}

export function all(...results: Validation[]): Validation {
  return results.find((r) => !r.ok) ?? ok;
}
