import { describe, expect, it } from 'vitest';
import { ENGINE_MIGRATIONS, openAppDatabase } from '../../../electron/engines/migrations';
import { closeDatabase, openDatabase } from '../../../electron/store/database';
import { STORE_MIGRATIONS } from '../../../electron/store/migrations';

const tables = (db: ReturnType<typeof openDatabase>) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);

describe('migrations: each layer declares its tables, the store runs them', () => {
  it('ids are unique across the store and every engine', () => {
    const ids = [...STORE_MIGRATIONS, ...ENGINE_MIGRATIONS].map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("the store alone creates only its own tables; the application's database adds every engine's", () => {
    const store = openDatabase(':memory:');
    const app = openAppDatabase(':memory:');
    try {
      expect(tables(store)).toContain('tokens');
      expect(tables(store)).not.toContain('tasks');
      for (const name of ['tokens', 'tasks', 'swarms', 'workflows', 'alerts', 'config_versions']) expect(tables(app)).toContain(name);
      const applied = (app.prepare('SELECT id FROM schema_migrations ORDER BY id').all() as { id: string }[]).map((r) => r.id);
      expect(applied).toEqual([...STORE_MIGRATIONS, ...ENGINE_MIGRATIONS].map((m) => m.id).sort());
    } finally {
      closeDatabase(store);
      closeDatabase(app);
    }
  });
});
