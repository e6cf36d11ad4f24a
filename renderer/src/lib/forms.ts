import type { z } from 'zod';
import { ZenFlowRequestError } from '../../../shared/sdk';

/** Field path ('agents.0.count') → message. */
export type FieldErrors = Record<string, string>;

const joinPath = (path: readonly PropertyKey[]) => path.map(String).join('.');

type Issue = z.core.$ZodIssue;

/** Plain-language messages for the common schema issues (custom messages pass through). */
function friendly(issue: Issue): string {
  const i = issue as Issue & { origin?: string; minimum?: number | bigint; maximum?: number | bigint; inclusive?: boolean; expected?: string; format?: string };
  switch (i.code) {
    case 'too_small':
      if (i.origin === 'string') return Number(i.minimum) <= 1 ? 'Required' : `At least ${i.minimum} characters`;
      if (i.origin === 'array') return Number(i.minimum) <= 1 ? 'Add at least one' : `At least ${i.minimum} items`;
      if (i.origin === 'number') return i.inclusive === false ? `Must be more than ${i.minimum}` : `Must be at least ${i.minimum}`;
      break;
    case 'too_big':
      if (i.origin === 'string') return `At most ${i.maximum} characters`;
      if (i.origin === 'array') return `At most ${i.maximum} items`;
      if (i.origin === 'number') return i.inclusive === false ? `Must be less than ${i.maximum}` : `Must be at most ${i.maximum}`;
      break;
    case 'invalid_type':
      if (i.expected === 'number') return 'Enter a number';
      if (i.expected === 'int') return 'Enter a whole number';
      break;
    case 'invalid_value':
      if ('values' in i && Array.isArray((i as { values?: unknown[] }).values)) return `Choose one of: ${(i as { values: unknown[] }).values.join(', ')}`;
      break;
    case 'invalid_format':
      if (i.format === 'regex') return issue.message;
      break;
    case 'unrecognized_keys':
      return 'Not a known field';
    case 'invalid_key': {
      // A record key (an event name in the rate limits): what the key itself should look like.
      const inner = (i as { issues?: Issue[] }).issues?.[0];
      if (inner) return friendly(inner);
      break;
    }
  }
  if (i.code === 'invalid_type' && /int/.test(issue.message)) return 'Enter a whole number';
  return issue.message;
}

/** Client-side validation with the shared schema: the parsed value or the field messages. */
export function validate<S extends z.ZodType>(schema: S, value: unknown): { ok: true; data: z.output<S> } | { ok: false; errors: FieldErrors } {
  const r = schema.safeParse(value);
  if (r.success) return { ok: true, data: r.data };
  const errors: FieldErrors = {};
  for (const issue of r.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) errors[joinPath([...issue.path, k])] ??= friendly(issue);
      continue;
    }
    errors[joinPath(issue.path) || '(payload)'] ??= friendly(issue);
  }
  return { ok: false, errors };
}

/** A refusal that belongs to fields (e.g. a pairing code the server turned down), thrown from a form's send. */
export class FieldsRefused extends Error {
  constructor(readonly errors: FieldErrors) {
    super(Object.values(errors).join('; '));
    this.name = 'FieldsRefused';
  }
}

/** The server's `invalid_argument` details as field messages, plus a general message for the rest. */
export function fromServer(err: unknown): { errors: FieldErrors; message: string | null } {
  if (err instanceof FieldsRefused) return { errors: { ...err.errors }, message: null };
  const errors: FieldErrors = {};
  let message = (err as Error)?.message ?? 'request failed';
  if (err instanceof ZenFlowRequestError || (err && typeof err === 'object' && 'details' in err)) {
    const details = (err as ZenFlowRequestError).details;
    if (Array.isArray(details)) {
      for (const d of details) if (d && typeof d.path === 'string') errors[d.path] ??= d.message;
    }
    if ((err as ZenFlowRequestError).code === 'invalid_argument' && Object.keys(errors).length) message = 'The server refused some fields — see the messages next to them.';
  }
  return { errors, message };
}

/** Errors for one field: exact path, or any nested path under it ('agents' shows 'agents.0.count'). */
export function errorFor(errors: FieldErrors, path: string): string | undefined {
  if (errors[path]) return errors[path];
  const nested = Object.keys(errors).find((k) => k.startsWith(`${path}.`));
  return nested ? errors[nested] : undefined;
}

/** Messages whose path no field on the form shows. */
export function unclaimed(errors: FieldErrors, shown: string[]): string[] {
  return Object.entries(errors)
    .filter(([k]) => !shown.some((s) => k === s || k.startsWith(`${s}.`)))
    .map(([k, v]) => (k === '(payload)' ? v : `${k}: ${v}`));
}

/** After a refused submit: move focus to the first field marked invalid. */
export function focusFirstInvalid(root: ParentNode | null | undefined = document): void {
  queueMicrotask(() => requestAnimationFrame(() => root?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus()));
}
