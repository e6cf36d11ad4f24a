import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';

const run = promisify(execFile);

type Subs = { subscriptions: Record<string, { filter: unknown }> };
/** What client.py prints. */
interface PythonObservations {
  connected: boolean;
  subscribe_ack: Subs;
  status_after_subscribe: { health: { overall: string }; timestamp: number };
  status_get: { performance: { cpu: number } };
  bad_command: { error: { code: string; details: { path: string }[] } };
  filtered_ack: Subs;
  state_after_emit: Subs;
  refused_missing: { data: unknown };
  refused_invalid: { data: unknown };
}
const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./python/client.py', import.meta.url));

/** A real third-party client: Debian's python3-socketio AsyncClient (docs/protocol.md names it as a client). */
describe.skipIf(!existsSync(PYTHON))('python-socketio AsyncClient', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ engines: true });
  });
  afterAll(() => t.close());

  it('connects, subscribes, gets the snapshot, acks and refusals exactly as documented', async () => {
    const token = await t.token(['read:system', 'read:swarms', 'read:tasks', 'write:swarms']);
    const { stdout } = await run(PYTHON, [SCRIPT, t.url, token], { timeout: 30_000 });
    const out = JSON.parse(stdout) as PythonObservations;
    expect(out.connected).toBe(true);
    expect(Object.keys(out.subscribe_ack.subscriptions)).toEqual(['system', 'swarms', 'tasks']);
    expect(out.status_after_subscribe.health.overall).toMatch(/healthy|degraded|critical/);
    expect(typeof out.status_after_subscribe.timestamp).toBe('number');
    expect(out.status_get.performance.cpu).toBeGreaterThanOrEqual(0);
    expect(out.bad_command.error.code).toBe('invalid_argument');
    expect(out.bad_command.error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['name', 'topology', 'agents']));
    expect(out.filtered_ack.subscriptions.system?.filter).toEqual({ severity: ['warning', 'critical'] });
    expect(Object.keys(out.state_after_emit.subscriptions)).toEqual(['system', 'tasks']);
    expect(out.refused_missing.data).toEqual({ message: 'auth: missing token', data: { code: 'missing_token' } });
    expect(out.refused_invalid.data).toEqual({ message: 'auth: invalid token', data: { code: 'invalid_token' } });
  });
});
