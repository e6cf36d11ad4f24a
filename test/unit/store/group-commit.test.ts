import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { closeDatabase, openDatabase, type Db } from '../../../electron/store/database';
import { GroupCommit } from '../../../electron/store/group-commit';
import { synchronousLevel, unsynced } from '../../../electron/store/unsynced';

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

function setup(): { db: Db; commits: GroupCommit; fsyncs: () => number } {
  const dir = mkdtempSync(join(tmpdir(), 'zenflow-group-commit-'));
  const file = join(dir, 'zenflow.db');
  const db = openDatabase(file);
  db.exec('CREATE TABLE t (v INTEGER)');
  const commits = new GroupCommit(db, `${file}-wal`);
  const spy = vi.spyOn(commits as unknown as { fsync(): Promise<void> }, 'fsync');
  cleanup.push(async () => {
    await commits.close();
    closeDatabase(db);
    rmSync(dir, { recursive: true, force: true });
  });
  return { db, commits, fsyncs: () => spy.mock.calls.length };
}

describe('group commit', () => {
  it('commits without syncing on the loop, restores synchronous=FULL, and is durable after one fsync', async () => {
    const { db, commits, fsyncs } = setup();
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const { result, durable } = commits.run(() => db.transaction(() => insert.run(1).changes)());
    expect(result).toBe(1);
    expect(synchronousLevel(db)).toBe(2);
    await durable;
    expect(fsyncs()).toBe(1);
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toMatchObject({ n: 1 });
  });

  it('a run that wrote nothing waits for no fsync', async () => {
    const { db, commits, fsyncs } = setup();
    await commits.run(() => db.prepare('SELECT COUNT(*) FROM t').get()).durable;
    expect(fsyncs()).toBe(0);
  });

  it('writes made while an fsync is under way share the next one', async () => {
    const { db, commits, fsyncs } = setup();
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const write = (v: number) => commits.run(() => db.transaction(() => insert.run(v))()).durable;
    const first = write(1);
    const rest = [write(2), write(3), write(4)];
    await Promise.all([first, ...rest]);
    expect(fsyncs()).toBe(2);
  });

  it('durable() covers commits made outside run(), by whoever made them, and syncs nothing twice', async () => {
    const { db, commits, fsyncs } = setup();
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    await commits.durable();
    expect(fsyncs()).toBe(0);
    unsynced(db, () => db.transaction(() => insert.run(1))());
    await commits.durable();
    expect(fsyncs()).toBe(1);
    await commits.durable();
    expect(fsyncs()).toBe(1);
  });

  it('a failed fsync is not taken as covering its commits: the next wait syncs again', async () => {
    const { db, commits, fsyncs } = setup();
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const sync = commits as unknown as { fsync(): Promise<void> };
    vi.mocked(sync.fsync).mockImplementationOnce(() => Promise.reject(new Error('EIO')));
    await expect(commits.run(() => db.transaction(() => insert.run(1))()).durable).rejects.toThrow('EIO');
    await commits.durable();
    expect(fsyncs()).toBe(2);
  });

  it('restores synchronous even when the work throws', () => {
    const { db, commits } = setup();
    expect(() =>
      commits.run(() => {
        throw new Error('refused');
      }),
    ).toThrow('refused');
    expect(synchronousLevel(db)).toBe(2);
  });
});

describe('unsynced', () => {
  it('puts the connection back to synchronous=FULL after an unsynced write (it used to be left at NORMAL)', () => {
    const { db } = setup();
    unsynced(db, () => db.transaction(() => db.prepare('INSERT INTO t (v) VALUES (1)').run())());
    expect(synchronousLevel(db)).toBe(2);
  });
});
