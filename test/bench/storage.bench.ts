/**
 * Storage benchmark:
 *  1. start-up check — the cost of `PRAGMA quick_check` (run at every server
 *     start) and, for comparison, `PRAGMA integrity_check`, on a realistic store:
 *     --tasks finished tasks with results, a day of 1 s metrics samples, alerts,
 *     config history and tokens, written through the real schema;
 *  2. shutdown — how long `server.close()` takes while a WebSocket client has
 *     stopped reading (it never answers the close handshake). Target: ≤ 2 s.
 *
 *   npx tsx test/bench/storage.bench.ts [--tasks 200000] [--metrics 86400] [--runs 3]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { createZenFlowServer } from '../../electron/server/app';
import { closeDatabase } from '../../electron/store/database';
import { openAppDatabase } from '../../electron/engines/migrations';
import { FileSecretStore } from '../../electron/store/secret-store';

const { values: argv } = parseArgs({
  options: { tasks: { type: 'string', default: '200000' }, metrics: { type: 'string', default: '86400' }, runs: { type: 'string', default: '3' } },
});
const TASKS = Number(argv.tasks);
const METRICS = Number(argv.metrics);
const RUNS = Number(argv.runs);

function buildStore(file: string): void {
  const db = openAppDatabase(file);
  const t0 = Date.now() - 86_400_000;
  db.transaction(() => {
    db.prepare("INSERT INTO swarms (id, seq, name, topology, created_at, topology_changed_at) VALUES ('swarm-1', 1, 'Bench', 'mesh', ?, ?)").run(t0, t0);
    const task = db.prepare(
      `INSERT INTO tasks (id, seq, title, description, priority, state, requested, requirements, estimated_duration, requested_swarm_id, swarm_id,
         assignee, workflow_id, step_id, progress, stage, queue_reason, created_at, queued_at, started_at, finished_at, result, error, attempts)
       VALUES (?, ?, ?, ?, 'medium', 'completed', 'any', '["typescript"]', 5000, NULL, 'swarm-1', ?, NULL, NULL, 100, 'done', NULL, ?, ?, ?, ?, ?, NULL, 1)`,
    );
    for (let i = 1; i <= TASKS; i++) {
      const at = t0 + i * 10;
      task.run(
        `task-${i}`,
        i,
        `Task number ${i}`,
        `Implement part ${i} of the feature`,
        `agent-${i % 50}`,
        at,
        at,
        at + 5,
        at + 5005,
        JSON.stringify({ summary: `'Task number ${i}' completed by agent-${i % 50}`, agentId: `agent-${i % 50}`, swarmId: 'swarm-1', attempts: 1 }),
      );
    }
    const metric = db.prepare('INSERT INTO metrics_history (ts, cpu, memory, disk, rx_bytes_per_sec, tx_bytes_per_sec, load1) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (let i = 0; i < METRICS; i++) metric.run(t0 + i * 1000, 20 + (i % 50), 40 + (i % 30), 55, 1e5 + i, 5e4 + i, 0.5);
    const alert = db.prepare("INSERT INTO alerts (id, ts, severity, component, message, value, threshold) VALUES (?, ?, 'warning', 'cpu', 'CPU above 80%', 85, 80)");
    for (let i = 0; i < 2000; i++) alert.run(`alert-${i}`, t0 + i * 40_000);
    const token = db.prepare("INSERT INTO tokens (jti, user_id, permissions, kind, issued_at, expires_at) VALUES (?, 'user', '[\"read:system\"]', 'api', ?, ?)");
    for (let i = 0; i < 1000; i++) token.run(`jti-${i}`, t0, t0 + 3_600_000);
  })();
  closeDatabase(db);
}

function timeCheck(file: string, pragma: string): number[] {
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const db = openAppDatabase(file);
    const started = performance.now();
    const rows = db.pragma(pragma) as Record<string, string>[];
    times.push(performance.now() - started);
    const result = rows.map((row) => Object.values(row)[0]).join('; ');
    if (result !== 'ok') throw new Error(`${pragma}: ${result}`);
    db.close();
  }
  return times;
}

async function shutdownWithStalledClient(): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'zenflow-bench-shutdown-'));
  try {
    const server = await createZenFlowServer({ port: 0, dataDir, logLevel: 'silent', engines: true }, { secretStore: new FileSecretStore(join(dataDir, 'secrets.json')) });
    const url = await server.listen();
    const { token } = await server.tokens.issue({ permissions: ['*'], ttlSeconds: 600, userId: 'bench' });
    const ws = new WebSocket(`${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
    const frames: string[] = [];
    ws.on('message', (d: Buffer) => frames.push(d.toString()));
    await new Promise((r) => ws.once('open', r));
    const seen = async (prefix: string) => {
      while (!frames.some((f) => f.startsWith(prefix))) await new Promise((r) => setTimeout(r, 10));
    };
    await seen('0{');
    ws.send(`40${JSON.stringify({ token })}`);
    await seen('40{');
    ws.send(`421${JSON.stringify(['subscribe', { channels: ['system', 'swarms', 'tasks'] }])}`);
    await seen('431');
    (ws as unknown as { _socket: { pause(): void } })._socket.pause();
    await new Promise((r) => setTimeout(r, 1000));
    const started = performance.now();
    await server.close();
    const took = performance.now() - started;
    ws.terminate();
    return took;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const dir = mkdtempSync(join(tmpdir(), 'zenflow-bench-storage-'));
try {
  const file = join(dir, 'zenflow.db');
  const built = performance.now();
  buildStore(file);
  const mb = statSync(file).size / 1024 / 1024;
  console.log(`store: ${TASKS} tasks, ${METRICS} metric samples, 2000 alerts, 1000 tokens: ${mb.toFixed(1)} MB (built in ${((performance.now() - built) / 1000).toFixed(1)} s)`);
  const fmt = (ts: number[]) => `${ts.map((t) => t.toFixed(0)).join(' / ')} ms (median ${[...ts].sort((a, b) => a - b)[Math.floor(ts.length / 2)]!.toFixed(0)} ms)`;
  console.log(`quick_check      ${fmt(timeCheck(file, 'quick_check'))}`);
  console.log(`integrity_check  ${fmt(timeCheck(file, 'integrity_check'))}`);
  const shutdowns: number[] = [];
  for (let r = 0; r < RUNS; r++) shutdowns.push(await shutdownWithStalledClient());
  console.log(`shutdown with a client that stopped reading: ${fmt(shutdowns)} (target ≤ 2000 ms)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
