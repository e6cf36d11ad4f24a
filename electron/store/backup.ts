import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'libsql';
import { acquireDataDirLock, tryDataDirLock } from './data-dir-lock';
import { closeForCommand, markStandalone, openDatabase } from './database';
import { errorCode, StartupError } from './startup-error';

export const DB_FILE = 'zenflow.db';

export interface BackupSummary {
  file: string;
  bytes: number;
  /** Rows per table in the copy. */
  rows: Record<string, number>;
}

/**
 * An online backup through `VACUUM INTO` (libsql does not implement SQLite's
 * backup API): one read transaction, so it runs beside a live server and copies
 * a consistent moment of the store. Written aside and renamed into place, then
 * checked like a store at start.
 */
export function backupDatabase(dataDir: string, target: string): BackupSummary {
  const file = join(dataDir, DB_FILE);
  if (!existsSync(file)) throw new StartupError(file, 'no Zen Flow database here', 'Check --data-dir.', 'ENOENT');
  if (existsSync(target)) throw new StartupError(target, 'the backup file already exists', 'Pick a new file name; a backup never overwrites.', 'EEXIST');
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  // Without a server, this process takes the lock and checks the store first, so a damaged one is not copied as if whole.
  const lock = tryDataDirLock(dataDir, 'backup');
  try {
    const db = openDatabase(file, { verify: lock !== null });
    try {
      db.prepare('VACUUM INTO ?').run(partial);
    } catch (err) {
      rmSync(partial, { force: true });
      throw new StartupError(target, `the backup failed: ${err instanceof Error ? err.message : String(err)}`, undefined, errorCode(err));
    } finally {
      closeForCommand(db, dataDir, lock, 'backup');
    }
  } finally {
    lock?.release();
  }
  standalone(partial);
  syncFile(partial);
  renameSync(partial, target);
  syncFile(dirname(target));
  return { file: target, bytes: statSync(target).size, rows: verifyCopy(target) };
}

/**
 * Replaces the data directory's store with a backup. Refused while a server
 * runs on the directory (the lock); the store it replaces is kept beside it as
 * `zenflow.db.before-restore-<time>` (with its log, if any).
 */
export function restoreDatabase(dataDir: string, source: string): { file: string; rows: Record<string, number>; previous: string | null } {
  if (!existsSync(source)) throw new StartupError(source, 'no such backup file', undefined, 'ENOENT');
  const rows = verifyCopy(source);
  const lock = acquireDataDirLock(dataDir, 'restore');
  try {
    const file = join(dataDir, DB_FILE);
    const incoming = `${file}.restoring`;
    copyFileSync(source, incoming);
    syncFile(incoming);
    let previous: string | null = null;
    if (existsSync(file)) {
      previous = `${file}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      renameSync(file, previous);
      if (existsSync(`${file}-wal`)) renameSync(`${file}-wal`, `${previous}-wal`);
    }
    rmSync(`${file}-shm`, { force: true });
    renameSync(incoming, file);
    syncFile(dataDir);
    return { file, rows, previous };
  } finally {
    lock.release();
  }
}

/** Checks a backup file as a store is checked at start and counts its rows per table. */
function verifyCopy(file: string): Record<string, number> {
  let db: InstanceType<typeof Database>;
  try {
    db = new Database(file);
  } catch (err) {
    throw new StartupError(file, `cannot open the backup: ${err instanceof Error ? err.message : String(err)}`, undefined, errorCode(err));
  }
  try {
    const check = (db.pragma('quick_check(5)') as { quick_check: string }[]).map((r) => r.quick_check).filter((r) => r !== 'ok');
    if (check.length > 0) throw new StartupError(file, `the backup failed its integrity check: ${check.join('; ')}`, 'Use an older backup.', 'SQLITE_CORRUPT');
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    if (!tables.includes('schema_migrations')) throw new StartupError(file, 'not a Zen Flow database (no schema_migrations table)', undefined, 'ENOTZENFLOW');
    const rows: Record<string, number> = {};
    for (const t of tables) rows[t] = (db.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n;
    return rows;
  } catch (err) {
    if (err instanceof StartupError) throw err;
    throw new StartupError(file, `the backup is damaged or not a database: ${err instanceof Error ? err.message : String(err)}`, 'Use an older backup.', errorCode(err));
  } finally {
    db.close();
  }
}

/** A copy taken from a running server carries its open mark; the copy needs no log. */
function standalone(file: string): void {
  const db = new Database(file);
  try {
    markStandalone(db);
  } finally {
    db.close();
  }
}

function syncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
