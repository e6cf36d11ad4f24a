import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli';
import { startTestServer } from '../helpers/server';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'zenflow-backup-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Every row of every table, in a stable order. */
function dump(file: string): Record<string, unknown[]> {
  const db = new Database(file);
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    return Object.fromEntries(tables.map((t) => [t, (db.prepare(`SELECT * FROM "${t}" ORDER BY 1, 2`).all() as Record<string, unknown>[]).map((r) => JSON.stringify(r))]));
  } finally {
    db.close();
  }
}

describe('zenflow backup / restore', () => {
  it('a backup taken while the server runs restores to a store with exactly the same rows', async () => {
    const t = await startTestServer({ dataDir: tmp() });
    const client = await t.client();
    await client.request('swarm:create', { name: 'Alpha', topology: 'mesh', agents: 3 });
    await client.request('swarm:create', { name: 'Beta', topology: 'ring', agents: [{ role: 'tester', count: 2 }] });
    await t.token(['read:system'], 7200, 'ops');
    const backupFile = join(tmp(), 'store.db');
    const backup = await cli(['backup', backupFile, '--data-dir', t.dataDir]);
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    await t.close();
    // The clock journal's high-water mark moves on while the server runs on after the backup.
    const withoutHighWater = (d: Record<string, unknown[]>): Record<string, unknown[]> => ({
      ...d,
      clock_runs: (d.clock_runs ?? []).map((r) => ({ ...(JSON.parse(r as string) as object), sim_high: undefined })),
    });
    const original = withoutHighWater(dump(join(t.dataDir, 'zenflow.db')));
    expect(original.swarms).toHaveLength(2); // positive control: there is something to compare
    expect(original.tokens!.length).toBeGreaterThan(0);

    const target = tmp();
    const restored = await cli(['restore', backupFile, '--data-dir', target]);
    expect(restored.code).toBe(0);
    expect(withoutHighWater(dump(join(target, 'zenflow.db')))).toEqual(original);
  });

  it('refuses a file that is not a Zen Flow backup, naming it', async () => {
    const target = tmp();
    const bogus = join(tmp(), 'bogus.db');
    const db = new Database(bogus);
    db.exec('CREATE TABLE x (y)');
    db.close();
    const r = await cli(['restore', bogus, '--data-dir', target]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bogus}: not a Zen Flow database`);
  });
});
