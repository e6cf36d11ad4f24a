/**
 * `npm run soak -- --minutes N`: the built server in its own process under a mix of hostile clients
 * (test/helpers/hostile-clients.ts) for N minutes, while a well-behaved client measures round trips.
 * Prints RSS and latency each minute, then the drift from the first minute to the last.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectZenFlowClient } from '../../shared/sdk';
import { runCli } from '../helpers/cli';

const minutesArg = process.argv.indexOf('--minutes');
const minutes = minutesArg > 0 ? Number(process.argv[minutesArg + 1]) : 5;
if (!(minutes > 0)) throw new Error('--minutes takes a positive number');

const ADMIN = `soak-admin-${Date.now()}-0123456789`;
const dataDir = mkdtempSync(join(tmpdir(), 'zenflow-soak-'));
const server = runCli(['serve', '--port', '0', '--data-dir', dataDir, '--secret-store', 'file', '--log-level', 'error', '--sim-speed', '10'], { ZENFLOW_ADMIN_TOKEN: ADMIN });
const url = (await server.waitFor(/listening on (http:\/\/\S+)/, 30_000))[1]!;
const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

const control = await connectZenFlowClient({ url, auth: { token: ADMIN }, transports: ['websocket'] });
const minted = await fetch(`${url}/api/tokens`, {
  method: 'POST',
  headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
  body: JSON.stringify({ permissions: ['read:system', 'write:tasks'], userId: 'mallory' }),
});
const { token } = (await minted.json()) as { token: string };
const attackers = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../helpers/hostile-clients.ts', import.meta.url)), url, token], {
  stdio: ['pipe', 'inherit', 'inherit'],
});

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN;
const rows: { minute: number; rss: number; p50: number; p99: number; failed: number }[] = [];
console.log('minute  rss MB   p50 ms   p99 ms  failed');
for (let m = 1; m <= minutes; m++) {
  const samples: number[] = [];
  let failed = 0;
  const end = Date.now() + 60_000;
  while (Date.now() < end) {
    const started = performance.now();
    try {
      await control.request('system:status:get', undefined, { timeout: 10_000 });
      samples.push(performance.now() - started);
    } catch {
      failed++;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const row = { minute: m, rss: rssMb(), p50: pct(samples, 0.5), p99: pct(samples, 0.99), failed };
  rows.push(row);
  console.log(`${String(m).padStart(6)}  ${row.rss.toFixed(0).padStart(6)}  ${row.p50.toFixed(1).padStart(7)}  ${row.p99.toFixed(1).padStart(7)}  ${String(failed).padStart(6)}`);
}
const first = rows[0]!;
const last = rows.at(-1)!;
console.log(`drift over ${minutes} min: RSS ${(last.rss - first.rss).toFixed(0)} MB, p99 ${(last.p99 - first.p99).toFixed(1)} ms`);

attackers.stdin.end();
control.close();
server.child.kill('SIGTERM');
await server.exited;
rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
