import { accessSync, chmodSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'libsql';
import { STORE_MIGRATIONS, type Migration } from './migrations';
import { describeFsError, errorCode, StartupError } from './startup-error';
import { checkWal } from './wal-check';
import { tryDataDirLock, type DataDirLock } from './data-dir-lock';
import { safeTransaction } from './transaction';

export type Db = InstanceType<typeof Database>;

export interface OpenDatabaseOptions {
  /**
   * Check the write-ahead log and run `PRAGMA quick_check` before use, refusing
   * damaged data. Only for the process that holds the data directory's lock: a
   * log another process is appending to cannot be read consistently from outside.
   */
  verify?: boolean;
  /** Tables of the layers above (each engine's, beside its repository), run with the store's own in id order. */
  migrations?: readonly Migration[];
}

/** What the operator should do when the store is damaged. */
export const RESTORE_HINT = 'Do not start on it: restore the latest backup with `zenflow restore <backup-file> --data-dir <dir>` (README: Backup and restore).';

/**
 * Opens (or creates) the SQLite store in WAL mode with synchronous=FULL, so a
 * committed transaction survives a crash: commands are acked only after commit.
 * Every failure names the file and the cause (StartupError).
 */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Db {
  const onDisk = file !== ':memory:';
  const verify = onDisk && (options.verify ?? false);
  const walHeld = walHasFrames(`${file}-wal`);
  if (onDisk) preflight(file, verify);
  let db: Db;
  try {
    db = new Database(file);
    // Commit failures (a full disk) surface as themselves, not as a failed rollback.
    db.transaction = safeTransaction(db);
  } catch (err) {
    throw new StartupError(file, `cannot open the database: ${sqliteCause(err)}`, undefined, errorCode(err));
  }
  // Private to its owner, like the secrets beside it; SQLite gives the WAL and shm files the database's mode.
  if (onDisk) for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    if (verify) {
      quickCheck(db, file);
      refuseOrphaned(db, file, walHeld);
    }
    migrate(db, options.migrations ?? []);
    if (verify) markOpen(db);
    return db;
  } catch (err) {
    db.close();
    if (err instanceof StartupError) throw err;
    const code = errorCode(err);
    const damaged = code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT';
    throw new StartupError(
      file,
      `${damaged ? 'the database is damaged or not a database' : 'cannot use the database'}: ${sqliteCause(err)}`,
      damaged ? RESTORE_HINT : undefined,
      code,
    );
  }
}

/** Folds the log into the database file (TRUNCATE leaves an empty -wal) and closes: a clean stop leaves a self-contained file. */
export function closeDatabase(db: Db): void {
  if (!db.open) return;
  try {
    // A reader in another process (`zenflow token`, a backup) must not stall a stop: the last one out checkpoints then.
    db.pragma('busy_timeout = 500');
    if (markedOpen.delete(db)) setOpenMark(db, 0);
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

function preflight(file: string, verify: boolean): void {
  const dir = dirname(file);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new StartupError(dir, `cannot create the data directory: ${describeFsError(err)}`, undefined, errorCode(err));
  }
  // SQLite quietly opens an unwritable file read-only and fails later with a bare code; say it up front.
  for (const f of [file, `${file}-wal`]) {
    if (!existsSync(f)) continue;
    try {
      accessSync(f, constants.R_OK | constants.W_OK);
    } catch (err) {
      throw new StartupError(f, `the database file is not writable: ${describeFsError(err)}`, 'Make it writable by this user, or pick another --data-dir.', errorCode(err));
    }
  }
  if (!verify) return;
  const wal = `${file}-wal`;
  const verdict = checkWal(wal);
  if (!verdict.ok) {
    throw new StartupError(
      wal,
      `the write-ahead log is damaged: ${verdict.reason}`,
      `${RESTORE_HINT} Moving ${wal} aside instead starts from the last checkpoint and loses what the log holds.`,
      'SQLITE_CORRUPT',
    );
  }
}

/**
 * Whether the database file can stand without its log. The lock holder marks the
 * store open in the database file itself (checkpointed at once) and clears the
 * mark when a clean close folds the log in: a mark with no log beside it means
 * the log that held the latest commits was deleted or lost, which SQLite would
 * take in silence, starting from an older state.
 */
const markedOpen = new WeakSet<Db>();
const OPEN_MARK = "INSERT INTO store_state (key, value) VALUES ('open', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value";

function refuseOrphaned(db: Db, file: string, walHeld: boolean): void {
  if (walHeld) return;
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'store_state'").get();
  const mark = hasTable ? (db.prepare("SELECT value FROM store_state WHERE key = 'open'").get() as { value: number } | undefined) : undefined;
  if (mark?.value !== 1) return;
  throw new StartupError(
    `${file}-wal`,
    'the write-ahead log is missing or empty, but the database was not closed cleanly: the latest committed changes were in that log, and the database file alone holds an older state',
    `If the file was moved or renamed, put it back as ${file}-wal. Otherwise: ${RESTORE_HINT}`,
    'SQLITE_CORRUPT',
  );
}

function markOpen(db: Db): void {
  db.exec('CREATE TABLE IF NOT EXISTS store_state (key TEXT PRIMARY KEY, value INTEGER NOT NULL)');
  setOpenMark(db, 1);
  // Into the database file now, so that file alone says it needs its log from here on; the
  // mark written again puts a frame in the log, which holds frames from then on until a clean close.
  db.pragma('wal_checkpoint(TRUNCATE)');
  setOpenMark(db, 1);
  markedOpen.add(db);
}

/** SQLite leaves an empty log behind on close: only frames in it count. */
function walHasFrames(wal: string): boolean {
  try {
    return statSync(wal).size > 32;
  } catch {
    return false;
  }
}

function setOpenMark(db: Db, value: 0 | 1): void {
  db.prepare(OPEN_MARK).run(value);
}

/**
 * Closes the store for a command (`zenflow token`, `zenflow backup`). With the data directory's
 * lock it closes as a server does, folding the log in. Without it, a server was running when the
 * command opened the store: while it still runs, the command just closes (a checkpoint under a
 * running server would stall its writes, and the server folds the log in itself); if it has gone
 * meanwhile (killed, say), this is the last connection and SQLite folds the log into the file as
 * it closes, so the server's open mark is cleared first, or the next start would take the folded
 * log for a lost one and refuse.
 */
export function closeForCommand(db: Db, dataDir: string, lock: DataDirLock | null, purpose: string): void {
  if (lock) return closeDatabase(db);
  const late = tryDataDirLock(dataDir, purpose);
  if (!late) {
    db.close();
    return;
  }
  try {
    markStandalone(db);
    closeDatabase(db);
  } finally {
    late.release();
  }
}

/** Clears the open mark in a copy of the store (a backup): the copy stands alone. */
export function markStandalone(db: Db): void {
  if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'store_state'").get()) setOpenMark(db, 0);
}

function quickCheck(db: Db, file: string): void {
  const rows = db.pragma('quick_check(5)') as { quick_check: string }[];
  const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
  if (problems.length > 0) throw new StartupError(file, `the database failed its integrity check: ${problems.join('; ')}`, RESTORE_HINT, 'SQLITE_CORRUPT');
}

function sqliteCause(err: unknown): string {
  const code = errorCode(err);
  const text = err instanceof Error ? err.message : String(err);
  return code && !text.includes(code) ? `${text} (${code})` : text;
}

function migrate(db: Db, extra: readonly Migration[]): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const applied = new Set((db.prepare('SELECT id FROM schema_migrations').all() as { id: string }[]).map((r) => r.id));
  const record = db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)');
  for (const m of [...STORE_MIGRATIONS, ...extra].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    if (applied.has(m.id)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.id, Date.now());
    })();
  }
}
