import type { z } from 'zod';
import { ProtocolError, type ErrorDetail } from '../../shared/protocol/errors';

function joinPath(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join('.');
}

/** Field errors an answer lists at most: an error never echoes an unbounded payload back. */
export const MAX_ERROR_DETAILS = 20;

/** Turns a zod failure into `invalid_argument` with the failing field paths (up to MAX_ERROR_DETAILS) in `details`. */
export function toInvalidArgument(error: z.ZodError, prefix: readonly PropertyKey[] = []): ProtocolError {
  const all: ErrorDetail[] = error.issues.flatMap((issue) => {
    const base = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => ({ path: joinPath([...base, k]), message: issue.message }));
    }
    return [{ path: joinPath(base) || '(payload)', message: issue.message }];
  });
  const details = all.slice(0, MAX_ERROR_DETAILS).map((d) => ({ path: d.path.slice(0, 200), message: d.message.slice(0, 300) }));
  const first = details[0];
  const message = first ? `invalid ${first.path}: ${first.message}` : 'invalid payload';
  return new ProtocolError('invalid_argument', all.length > 1 ? `${message} (and ${all.length - 1} more)` : message, details);
}

export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, prefix: readonly PropertyKey[] = []): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw toInvalidArgument(result.error, prefix);
  return result.data;
}
