import { accessSync, constants, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { describeFsError, errorCode, StartupError } from './startup-error';

export const LOCK_FILE = 'zenflow.lock';
export const HOLDER_FILE = 'zenflow.pid';

export interface LockHolder {
  pid: number;
  host: string;
  since: number;
  /** What holds it: `server`, `restore`… */
  purpose: string;
}

export interface DataDirLock {
  readonly holder: LockHolder;
  release(): void;
}

/** Creates the data directory if needed and proves it writable, naming the directory and the cause when not. */
export function ensureWritableDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new StartupError(dataDir, `cannot create the data directory: ${describeFsError(err)}`, 'Pick another --data-dir or fix its permissions.', errorCode(err));
  }
  try {
    accessSync(dataDir, constants.W_OK);
  } catch (err) {
    throw new StartupError(dataDir, `the data directory is not writable: ${describeFsError(err)}`, 'Pick another --data-dir or make it writable.', errorCode(err));
  }
}

/**
 * One writer per data directory. The lock is an exclusive SQLite lock (fcntl on
 * POSIX, LockFileEx on Windows) on `zenflow.lock`, held by an open transaction:
 * the OS drops it when the process dies however it dies, so a `kill -9` leaves
 * nothing that blocks the next start. Who holds it is written beside it for the
 * refusal message; that file is only informative and may be stale.
 */
export function acquireDataDirLock(dataDir: string, purpose = 'server'): DataDirLock {
  ensureWritableDir(dataDir);
  const lockFile = join(dataDir, LOCK_FILE);
  const holderFile = join(dataDir, HOLDER_FILE);
  let db: InstanceType<typeof Database>;
  try {
    db = new Database(lockFile);
  } catch (err) {
    throw new StartupError(lockFile, `cannot open the lock file: ${err instanceof Error ? err.message : String(err)}`, undefined, errorCode(err));
  }
  try {
    db.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    db.close();
    if (errorCode(err) === 'SQLITE_BUSY') {
      const other = readHolder(holderFile);
      const who = other
        ? `${other.purpose === 'server' ? 'a Zen Flow server' : `zenflow ${other.purpose}`} (pid ${other.pid} on host ${other.host}, since ${new Date(other.since).toISOString()})`
        : 'another Zen Flow process';
      throw new StartupError(dataDir, `the data directory is in use by ${who}; lock ${lockFile}`, 'Stop that process first, or pick another --data-dir.', 'ELOCKED');
    }
    throw new StartupError(lockFile, `cannot lock the data directory: ${err instanceof Error ? err.message : String(err)}`, undefined, errorCode(err));
  }
  const holder: LockHolder = { pid: process.pid, host: hostname(), since: Date.now(), purpose };
  try {
    writeFileSync(holderFile, `${JSON.stringify(holder)}\n`);
  } catch (err) {
    db.close();
    throw new StartupError(holderFile, `cannot write: ${describeFsError(err)}`, undefined, errorCode(err));
  }
  let held = true;
  return {
    holder,
    release() {
      if (!held) return;
      held = false;
      if (readHolder(holderFile)?.pid === process.pid) rmSync(holderFile, { force: true });
      db.close();
    },
  };
}

function readHolder(file: string): LockHolder | null {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    if (typeof value.pid !== 'number' || typeof value.host !== 'string') return null;
    return { pid: value.pid, host: value.host, since: Number(value.since) || 0, purpose: typeof value.purpose === 'string' ? value.purpose : 'server' };
  } catch {
    return null;
  }
}

/** The lock if it is free, or null while another Zen Flow process holds it. */
export function tryDataDirLock(dataDir: string, purpose: string): DataDirLock | null {
  try {
    return acquireDataDirLock(dataDir, purpose);
  } catch (err) {
    if (err instanceof StartupError && err.code === 'ELOCKED') return null;
    throw err;
  }
}
