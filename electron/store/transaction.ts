import type { Db } from './database';

type Fn = (...args: never[]) => unknown;

/**
 * A `db.transaction(fn)` that reports why a commit failed. libsql's own wrapper
 * answers a failed COMMIT (SQLITE_FULL: the disk is full) by issuing ROLLBACK on a
 * transaction SQLite already rolled back, and throws "cannot rollback - no
 * transaction is active" instead of the cause. Nested calls use savepoints.
 */
export function safeTransaction(db: Db): Db['transaction'] {
  let depth = 0;
  const wrap = <F extends Fn>(fn: F) =>
    ((...args: Parameters<F>) => {
      const savepoint = depth > 0 ? `sp_${depth}` : null;
      db.exec(savepoint ? `SAVEPOINT ${savepoint}` : 'BEGIN');
      depth++;
      try {
        const result = fn(...args);
        db.exec(savepoint ? `RELEASE ${savepoint}` : 'COMMIT');
        return result;
      } catch (error) {
        if (db.inTransaction) db.exec(savepoint ? `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}` : 'ROLLBACK');
        throw error;
      } finally {
        depth--;
      }
    }) as F;
  return wrap as unknown as Db['transaction'];
}

/**
 * Runs `write` with synchronous=NORMAL (committed to the OS, not synced) and
 * puts the connection's own level back before anything else can run on it.
 * (libsql's `pragma(…, { simple: true })` answers with an object, not the
 * number: restoring from it would quietly leave the connection unsynced.)
 */
export function withoutSync<T>(db: Db, write: () => T): T {
  const [row] = db.pragma('synchronous') as { synchronous: number }[];
  const level = Number(row?.synchronous ?? 2);
  db.pragma('synchronous = NORMAL');
  try {
    return write();
  } finally {
    db.pragma(`synchronous = ${level}`);
  }
}
