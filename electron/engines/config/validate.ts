import type { z } from 'zod';
import type { ErrorDetail } from '../../../shared/protocol/errors';

/** zod issues as protocol error details, with paths relative to the command payload (`settings.<field>`). */
export function settingsIssues(error: z.ZodError, allowed: readonly string[]): ErrorDetail[] {
  return error.issues.flatMap((issue): ErrorDetail[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: `settings.${key}`, message: `unknown setting; allowed: ${allowed.join(', ')}` }));
    }
    const path = ['settings', ...issue.path.map(String)].join('.');
    return [{ path, message: issue.message }];
  });
}
