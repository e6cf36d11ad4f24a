import type { Db } from './database';

type Statements = { level: { get(): unknown }; normal: { run(): unknown }; restore: Map<number, { run(): unknown }> };
const statements = new WeakMap<Db, Statements>();

function statementsOf(db: Db): Statements {
  let s = statements.get(db);
  if (!s) statements.set(db, (s = { level: db.prepare('PRAGMA synchronous'), normal: db.prepare('PRAGMA synchronous = NORMAL'), restore: new Map() }));
  return s;
}

/** The connection's `synchronous` level (0–3). libsql's `pragma(…, { simple: true })` still answers a row, so read it as one. */
export function synchronousLevel(db: Db): number {
  return Number((statementsOf(db).level.get() as { synchronous: number }).synchronous);
}

/**
 * Runs `fn` with commits that skip the fsync (WAL with synchronous=NORMAL: a commit still survives
 * the process dying), then puts the connection's own level back, whatever `fn` did.
 */
export function unsynced<T>(db: Db, fn: () => T): T {
  const s = statementsOf(db);
  const level = synchronousLevel(db);
  s.normal.run();
  try {
    return fn();
  } finally {
    let restore = s.restore.get(level);
    if (!restore) s.restore.set(level, (restore = db.prepare(`PRAGMA synchronous = ${Math.trunc(level)}`)));
    restore.run();
  }
}
