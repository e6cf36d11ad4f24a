/**
 * A reason the server cannot start, naming the file (or address) at fault, the
 * cause, and what the operator can do about it. Front ends print the message as is.
 */
export class StartupError extends Error {
  constructor(
    readonly subject: string,
    readonly reason: string,
    readonly hint?: string,
    /** The underlying error code (EADDRINUSE, EROFS, SQLITE_BUSY…), kept for callers that branch on it. */
    readonly code?: string,
  ) {
    super(`${subject}: ${reason}${hint ? `\n  ${hint}` : ''}`);
    this.name = 'StartupError';
  }
}

/** The code of a Node or SQLite error, when it has one. */
export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A short cause for a file-system error: its code and message. */
export function describeFsError(err: unknown): string {
  const code = errorCode(err);
  const text = err instanceof Error ? err.message : String(err);
  switch (code) {
    case 'EROFS':
      return 'the file system is read-only (EROFS)';
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code})`;
    case 'ENOSPC':
      return 'no space left on the device (ENOSPC)';
    case 'ENOTDIR':
      return 'a path component is not a directory (ENOTDIR)';
    default:
      return text;
  }
}
