import { ProtocolError } from '../../shared/protocol/errors';

const DISK_FULL = new Set(['SQLITE_FULL']);

/**
 * The refusal for a write the store could not make, or null when `err` is not a
 * storage failure: `unavailable`, naming a full disk when that is the cause.
 */
export function storageError(err: unknown): ProtocolError | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return null;
  if (DISK_FULL.has(code)) return diskFullError();
  const message = err instanceof Error ? err.message : code;
  return new ProtocolError('unavailable', `the store could not save the change (${code}: ${message}); nothing was applied`);
}

/** The refusal of a change the store has no room for. */
export function diskFullError(): ProtocolError {
  return new ProtocolError('unavailable', 'the disk is full: the change was not saved and nothing was applied; free some space and retry');
}
