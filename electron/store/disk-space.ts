import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Db } from './database';

/**
 * Free space a command wants on the store's file system before it changes
 * anything in memory: a few hundred KiB of log frames at most, with room to spare.
 */
export const DEFAULT_MIN_FREE_BYTES = 1024 * 1024;

/**
 * Answers whether the file system holding `db` has `minFree` bytes for this
 * user. An in-memory database, or a file system that cannot say, always has room.
 */
export function diskSpaceProbe(db: Db, minFree: number): () => boolean {
  const main = (db.pragma('database_list') as { name: string; file: string }[]).find((d) => d.name === 'main')?.file;
  if (!main || minFree <= 0) return () => true;
  const dir = dirname(main);
  return () => {
    try {
      const s = statfsSync(dir);
      return s.bavail * s.bsize >= minFree;
    } catch {
      return true;
    }
  };
}
