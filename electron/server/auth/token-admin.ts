import { join } from 'node:path';
import { tryDataDirLock } from '../../store/data-dir-lock';
import { closeForCommand } from '../../store/database';
import { openAppDatabase } from '../../engines/migrations';
import { openSecretStore } from '../../store/secret-store';
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
  const lock = tryDataDirLock(dataDir, 'token');
  try {
    const store = await openSecretStore(dataDir, options);
    const db = openAppDatabase(join(dataDir, 'zenflow.db'), { verify: lock !== null });
    const closeDb = () => closeForCommand(db, dataDir, lock, 'token');
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
