import type { z } from 'zod';
import { ProtocolError, type ErrorDetail } from '../../shared/protocol/errors';

function joinPath(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join('.');
}

/** Turns a zod failure into `invalid_argument` with every failing field path in `details`. */
export function toInvalidArgument(error: z.ZodError, prefix: readonly PropertyKey[] = []): ProtocolError {
  const details: ErrorDetail[] = error.issues.flatMap((issue) => {
    const base = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => ({ path: joinPath([...base, k]), message: issue.message }));
    }
    return [{ path: joinPath(base) || '(payload)', message: issue.message }];
  });
  const first = details[0];
  const message = first ? `invalid ${first.path}: ${first.message}` : 'invalid payload';
  return new ProtocolError('invalid_argument', details.length > 1 ? `${message} (and ${details.length - 1} more)` : message, details);
}

export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, prefix: readonly PropertyKey[] = []): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw toInvalidArgument(result.error, prefix);
  return result.data;
}
