import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock } from '../../../electron/store/data-dir-lock';
import { closeDatabase, openDatabase } from '../../../electron/store/database';
import { StartupError } from '../../../electron/store/startup-error';
import { checkWal } from '../../../electron/store/wal-check';

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.reverse()) fn();
  cleanup = [];
});
const tmp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'zenflow-store-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};

const ROWS = 40;
/**
 * A store as a kill -9 leaves it: rows committed one transaction each, all still in the
 * write-ahead log (no checkpoint), copied while the writer is alive.
 */
function crashedStore(): string {
  const live = tmp();
  const db = openDatabase(join(live, 'zenflow.db'));
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO notes (body) VALUES (?)');
  for (let i = 0; i < ROWS; i++) insert.run(`note ${i} ${'x'.repeat(600)}`);
  const snapshot = tmp();
  copyFileSync(join(live, 'zenflow.db'), join(snapshot, 'zenflow.db'));
  copyFileSync(join(live, 'zenflow.db-wal'), join(snapshot, 'zenflow.db-wal'));
  db.close();
  return join(snapshot, 'zenflow.db');
}

/** What plain SQLite makes of the files: the rows it silently keeps. */
function rowsSqliteSees(file: string): number {
  const db = new Database(file);
  try {
    const hasTable = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'notes'").get() as { n: number };
    return hasTable.n ? (db.prepare('SELECT count(*) AS n FROM notes').get() as { n: number }).n : 0;
  } finally {
    db.close();
  }
}

function damage(file: string, offset: number, bytes = 8): void {
  const buf = readFileSync(file);
  for (let i = 0; i < bytes; i++) buf[offset + i] = (buf[offset + i]! ^ 0xa5) & 0xff;
  writeFileSync(file, buf);
}

function refusal(action: () => unknown): StartupError {
  try {
    action();
  } catch (err) {
    if (err instanceof StartupError) return err;
    throw err;
  }
  throw new Error('expected a StartupError');
}

const PAGE = 4096;
const FRAME = 24 + PAGE;

describe('write-ahead log check', () => {
  it('an intact log after a crash passes and every committed row comes back', () => {
    const file = crashedStore();
    expect(checkWal(`${file}-wal`)).toMatchObject({ ok: true });
    const db = openDatabase(file, { verify: true });
    expect(db.prepare('SELECT count(*) AS n FROM notes').get()).toMatchObject({ n: ROWS });
    closeDatabase(db);
  });

  it('a damaged header, which SQLite ignores with every row in the log, is refused with what to do', () => {
    const file = crashedStore();
    const control = crashedStore();
    damage(`${control}-wal`, 24);
    expect(rowsSqliteSees(control)).toBe(0); // the silent loss this guards against

    damage(`${file}-wal`, 24);
    const err = refusal(() => openDatabase(file, { verify: true }));
    expect(err.message).toContain(`${file}-wal`);
    expect(err.message).toMatch(/write-ahead log is damaged: its header is damaged/);
    expect(err.message).toMatch(/restore the latest backup/);
  });

  it('a damaged frame in the middle, after which SQLite silently drops later commits, is refused', () => {
    const file = crashedStore();
    const control = crashedStore();
    const middle = 32 + 5 * FRAME + 24 + 100;
    damage(`${control}-wal`, middle);
    const kept = rowsSqliteSees(control);
    expect(kept).toBeLessThan(ROWS);

    damage(`${file}-wal`, middle);
    expect(checkWal(`${file}-wal`)).toMatchObject({ ok: false, reason: expect.stringMatching(/^frame 6 of \d+ is damaged/) });
    expect(refusal(() => openDatabase(file, { verify: true })).message).toContain('transactions committed after it');
  });

  it('a damaged last frame, which commits the last transaction, is refused rather than passed as a torn tail', () => {
    const file = crashedStore();
    const control = crashedStore();
    const wal = `${file}-wal`;
    const frames = (statSync(wal).size - 32) / FRAME;
    expect(Number.isInteger(frames)).toBe(true);
    const lastPage = 32 + (frames - 1) * FRAME + 24 + 200;
    damage(`${control}-wal`, lastPage);
    expect(rowsSqliteSees(control)).toBe(ROWS - 1); // the acknowledged last row SQLite drops without a word

    damage(wal, lastPage);
    expect(checkWal(wal)).toMatchObject({
      ok: false,
      reason: `frame ${frames} of ${frames}, which commits a transaction, is damaged, so SQLite would silently drop that committed transaction`,
    });
    const err = refusal(() => openDatabase(file, { verify: true }));
    expect(err.message).toContain(wal);
    expect(err.message).toMatch(/restore the latest backup/);
  });

  it('uncommitted frames after the last commit (a transaction a crash cut short) are not damage', () => {
    const file = crashedStore();
    const wal = `${file}-wal`;
    const frames = (statSync(wal).size - 32) / FRAME;
    // Turn the last commit frame into a frame of an unfinished transaction: clear its commit size; its checksum then fails.
    const buf = readFileSync(wal);
    buf.writeUInt32BE(0, 32 + (frames - 1) * FRAME + 4);
    writeFileSync(wal, buf);
    expect(checkWal(wal)).toMatchObject({ ok: true });
    const db = openDatabase(file, { verify: true });
    expect((db.prepare('SELECT count(*) AS n FROM notes').get() as { n: number }).n).toBe(ROWS - 1);
    closeDatabase(db);
  });

  it('a torn tail (the last frame cut short, as a crash leaves it) is not damage', () => {
    const file = crashedStore();
    const wal = `${file}-wal`;
    truncateSync(wal, statSync(wal).size - 1000);
    expect(checkWal(wal)).toMatchObject({ ok: true });
    const db = openDatabase(file, { verify: true });
    expect((db.prepare('SELECT count(*) AS n FROM notes').get() as { n: number }).n).toBe(ROWS - 1);
    closeDatabase(db);
  });

  it('a damaged database file fails the check at start', () => {
    const dir = tmp();
    const file = join(dir, 'zenflow.db');
    const db = openDatabase(file);
    db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL); CREATE INDEX notes_body ON notes (body)');
    const insert = db.prepare('INSERT INTO notes (body) VALUES (?)');
    for (let i = 0; i < 400; i++) insert.run(`note ${i} ${'y'.repeat(200)}`);
    closeDatabase(db);
    // Scribble over the page headers of the latter half of the file, where the table and its index were written last.
    const pages = statSync(file).size / 4096;
    for (let page = Math.floor(pages / 2); page < pages; page += 3) damage(file, page * 4096, 64);
    const err = refusal(() => openDatabase(file, { verify: true }));
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/integrity check|damaged/);
    expect(err.message).toMatch(/restore the latest backup/);
  });
});

describe('clean close', () => {
  it('folds the log into the database file: no write-ahead log is left with rows in it', () => {
    const dir = tmp();
    const file = join(dir, 'zenflow.db');
    const db = openDatabase(file);
    db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO notes (body) VALUES (?)');
    for (let i = 0; i < ROWS; i++) insert.run(`note ${i}`);
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(0); // positive control: the rows were in the log
    closeDatabase(db);
    expect(existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0).toBe(0);
    // The database file alone holds every row.
    rmSync(`${file}-wal`, { force: true });
    rmSync(`${file}-shm`, { force: true });
    expect(rowsSqliteSees(file)).toBe(ROWS);
  });
});

describe('a missing write-ahead log', () => {
  /** A store whose server died (no clean close) with committed rows in its log. */
  function diedWithLog(): { file: string; wal: string } {
    const dir = tmp();
    const file = join(dir, 'zenflow.db');
    const db = openDatabase(file, { verify: true });
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO notes (body) VALUES (?)');
    for (let i = 0; i < ROWS; i++) insert.run(`note ${i}`);
    // What the process left on disk at the moment it died.
    const crashed = tmp();
    copyFileSync(file, join(crashed, 'zenflow.db'));
    copyFileSync(`${file}-wal`, join(crashed, 'zenflow.db-wal'));
    db.close();
    return { file: join(crashed, 'zenflow.db'), wal: join(crashed, 'zenflow.db-wal') };
  }

  it('is refused at start when the database was not closed cleanly, saying what to do', () => {
    const { file, wal } = diedWithLog();
    rmSync(wal);
    expect(rowsSqliteSees(file)).toBe(0); // the silent loss this guards against: the rows were only in the log
    const err = refusal(() => openDatabase(file, { verify: true }));
    expect(err.message).toContain(wal);
    expect(err.message).toMatch(/write-ahead log is missing or empty, but the database was not closed cleanly/);
    expect(err.message).toMatch(/put it back/);
    expect(err.message).toMatch(/restore the latest backup/);
  });

  it('is fine when the log is there after a crash, or after a clean close', () => {
    const { file } = diedWithLog();
    const db = openDatabase(file, { verify: true });
    expect(db.prepare('SELECT count(*) AS n FROM notes').get()).toMatchObject({ n: ROWS });
    closeDatabase(db);
    expect(existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0).toBe(0);
    const again = openDatabase(file, { verify: true });
    expect(again.prepare('SELECT count(*) AS n FROM notes').get()).toMatchObject({ n: ROWS });
    closeDatabase(again);
  });
});

describe('data directory lock', () => {
  it('a second holder is refused naming the holder (pid, host); after release the directory is free', () => {
    const dir = tmp();
    const first = acquireDataDirLock(dir);
    const err = refusal(() => acquireDataDirLock(dir));
    expect(err.code).toBe('ELOCKED');
    expect(err.message).toContain(dir);
    expect(err.message).toContain(`pid ${process.pid} on host ${hostname()}`);
    first.release();
    const again = acquireDataDirLock(dir);
    again.release();
  });
});
