import { join } from 'node:path';
import { openDatabase } from '../../store/database';
import { openSecretStore } from '../../store/secret-store';
import { TokensRepo } from '../../store/tokens-repo';
import { loadSigningSecret } from './signing-secret';
import { TokenService } from './token-service';

/** Token management straight on a data directory, for `zenflow token …` with or without a running server. */
export async function openTokenAdmin(dataDir: string, options: { service?: string; preferFile?: boolean } = {}) {
  const store = await openSecretStore(dataDir, options);
  const db = openDatabase(join(dataDir, 'zenflow.db'));
  const { secret } = await loadSigningSecret(store);
  const tokens = new TokenService(secret, new TokensRepo(db), { defaultTtlSeconds: 3600 });
  return { tokens, store, close: () => db.close() };
}
