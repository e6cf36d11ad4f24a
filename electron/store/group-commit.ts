import { open, type FileHandle } from 'node:fs/promises';
import type { Db } from './database';
import { unsynced } from './unsynced';

/**
 * Group commit for acknowledged writes. A command's transactions commit without an fsync on the
 * event loop (synchronous=NORMAL: a commit still survives the process dying), then its ack waits
 * for one fsync of the write-ahead log on the thread pool; every command that committed meanwhile
 * shares that fsync. The loop never blocks on the disk for an ack, and an ack still means durable.
 * Only the WAL needs the sync: SQLite syncs it before a checkpoint copies it into the database
 * file, and syncs the database file after. The sync is an fdatasync, as SQLite's own WAL sync on
 * Linux: it flushes the data and the size, and skips the inode's timestamps.
 */
export class GroupCommit {
  private readonly changes;
  /** The WAL stays the same file while this connection is open (SQLite removes it only when the last one closes). */
  private wal: Promise<FileHandle> | null = null;
  /** The connection's total_changes() when the newest fsync started: once it settles, every commit up to there is on disk. */
  private covered: number;
  /** The newest fsync while it is under way, and the one queued behind it for commits it started too early to cover. */
  private inFlight: Promise<void> | null = null;
  private queued: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly walFile: string,
  ) {
    this.changes = db.prepare('SELECT total_changes() AS n');
    // Commits made before now kept the database's own synchronous=FULL.
    this.covered = this.totalChanges();
  }

  /**
   * Runs `fn` (the synchronous part of a command) with its commits unsynced; `durable` resolves
   * once they are on disk. Commits made after `fn` returns (an async handler's later awaits) are
   * covered by `durable()`.
   */
  run<T>(fn: () => T): { result: T; durable: Promise<void> } {
    const before = this.totalChanges();
    const result = unsynced(this.db, fn);
    const after = this.totalChanges();
    return { result, durable: after === before ? Promise.resolve() : this.durableUpTo(after) };
  }

  /** Runs `fn` with its commits unsynced, for a caller that waits on `durable()` afterwards. */
  unsynced<T>(fn: () => T): T {
    return unsynced(this.db, fn);
  }

  /** Resolves once every commit made on this connection so far, by whoever made it, is on disk. */
  durable(): Promise<void> {
    return this.durableUpTo(this.totalChanges());
  }

  private durableUpTo(changes: number): Promise<void> {
    if (changes <= this.covered) return this.inFlight ?? Promise.resolve();
    if (!this.inFlight) return this.start(changes);
    this.queued ??= this.inFlight.then(
      () => this.startQueued(),
      () => this.startQueued(),
    );
    return this.queued;
  }

  private startQueued(): Promise<void> {
    this.queued = null;
    const changes = this.totalChanges();
    return changes > this.covered ? this.start(changes) : Promise.resolve();
  }

  /** Starts an fsync covering every commit up to `changes`, the connection's total_changes() now. */
  private start(changes: number): Promise<void> {
    this.covered = changes;
    const done = this.fsync()
      .catch((error: unknown) => {
        // Nothing this fsync was to cover may count as on disk: the next caller syncs again.
        this.covered = -1;
        throw error;
      })
      .finally(() => {
        if (this.inFlight === done) this.inFlight = null;
      });
    this.inFlight = done;
    return done;
  }

  private async fsync(): Promise<void> {
    this.wal ??= open(this.walFile, 'r');
    try {
      await (await this.wal).datasync();
    } catch (error) {
      this.wal = null;
      throw error;
    }
  }

  private totalChanges(): number {
    return Number((this.changes.get() as { n: number }).n);
  }

  /** Waits for the fsync under way and lets go of the log file; call before closing the database. */
  async close(): Promise<void> {
    await Promise.allSettled([this.queued, this.inFlight]);
    const wal = this.wal;
    this.wal = null;
    await (await wal?.catch(() => null))?.close();
  }
}
