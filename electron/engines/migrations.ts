import { openDatabase, type Db, type OpenDatabaseOptions } from '../store/database';
import type { Migration } from '../store/migrations';
import { CONFIG_MIGRATIONS } from './config/config-migrations';
import { NEURAL_MIGRATIONS } from './neural/neural-migrations';
import { SWARM_MIGRATIONS } from './swarm/swarm-migrations';
import { SYSTEM_MIGRATIONS } from './system/system-migrations';

/** Every engine's tables, for the store to create beside its own. */
export const ENGINE_MIGRATIONS: readonly Migration[] = [...SYSTEM_MIGRATIONS, ...CONFIG_MIGRATIONS, ...SWARM_MIGRATIONS, ...NEURAL_MIGRATIONS];

/** The application's database: the store's tables and every engine's. */
export function openAppDatabase(file: string, options: Omit<OpenDatabaseOptions, 'migrations'> = {}): Db {
  return openDatabase(file, { ...options, migrations: ENGINE_MIGRATIONS });
}
