import { join } from 'node:path';
import { acquireDataDirLock, type DataDirLock } from '../../store/data-dir-lock';
import { closeDatabase } from '../../store/database';
import { openAppDatabase } from '../../engines/migrations';
import { openSecretStore } from '../../store/secret-store';
import { StartupError } from '../../store/startup-error';
import { TokensRepo } from '../../store/tokens-repo';
import { loadSigningSecret } from './signing-secret';
import { TokenService } from './token-service';

/**
 * Token management straight on a data directory, for `zenflow token …` with or
 * without a running server. It touches only the token tables, whose writes
 * SQLite serialises with a running server's, so it shares the directory with
 * one. With no server it holds the directory's lock while it works and checks
 * the store the way a server start does.
 */
export async function openTokenAdmin(dataDir: string, options: { service?: string; preferFile?: boolean } = {}) {
  let lock: DataDirLock | null = null;
  try {
    lock = acquireDataDirLock(dataDir, 'token');
  } catch (err) {
    if (!(err instanceof StartupError && err.code === 'ELOCKED')) throw err;
  }
  try {
    const store = await openSecretStore(dataDir, options);
    const db = openAppDatabase(join(dataDir, 'zenflow.db'), { verify: lock !== null });
    // Only the lock holder folds the log into the file: a checkpoint under a running server would stall its writes.
    const closeDb = () => (lock ? closeDatabase(db) : db.close());
    try {
      const { secret } = await loadSigningSecret(store);
      const tokens = new TokenService(secret, new TokensRepo(db), { defaultTtlSeconds: 3600 });
      return {
        tokens,
        store,
        close: () => {
          closeDb();
          lock?.release();
        },
      };
    } catch (err) {
      closeDb();
      throw err;
    }
  } catch (err) {
    lock?.release();
    throw err;
  }
}
