import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectZenFlowClient } from '../shared/sdk';
import { runCli } from './helpers/cli';
import { RawSocket } from './helpers/raw-socket';
const ADMIN = 'hostile-load-admin-token-0123456789';
const vector = process.argv[2];
const server = runCli(['serve', '--port', '0', '--data-dir', mkdtempSync(join(tmpdir(), 'zf-diag-')), '--secret-store', 'file', '--log-level', 'warn'], { ZENFLOW_ADMIN_TOKEN: ADMIN });
server.child.stderr.on('data', (d) => process.stderr.write(d));
const url = (await server.waitFor(/listening on (http:\/\/\S+)/, 20_000))[1]!;
const control = await connectZenFlowClient({ url, auth: { token: ADMIN }, transports: ['websocket'], autoReconnect: false });
const mint = await fetch(`${url}/api/tokens`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify({ permissions: ['read:system', 'write:tasks'], userId: 'mallory' }) });
const { token } = (await mint.json()) as { token: string };
let stop = false;
const deep = `42["pong",${'['.repeat(200_000)}${']'.repeat(200_000)}]`;
const wide = `421["task:create",${JSON.stringify({ title: 'x', description: 'y'.repeat(4000), requirements: Array.from({ length: 5000 }, (_, i) => `r${i}`) })}]`;
const ana = '42["task:execute:immediate",{"type":"code-analysis","input":"f<a>(g<b>(f<a>(g<b>(f<a>(g<b>(f<a>(g<b>("}]';
const frames: Record<string, string> = { deep, wide, ana, pong: '42["pong",{"sent":1}]' };
const attackers: Promise<void>[] = [];
let sent = 0;
for (let a = 0; a < 4; a++) attackers.push((async () => {
  while (!stop) {
    const raw = await RawSocket.open(url).catch(() => null);
    if (!raw) continue;
    try { await raw.connect({ token });
      for (let i = 0; i < 10 && !stop; i++) { raw.send(frames[vector]!); sent++; await new Promise((r) => setTimeout(r, 20)); }
    } catch {}
    raw.close();
  }
})());
const lat: number[] = [];
for (let i = 0; i < 60; i++) { const s = performance.now(); await control.request('system:status:get', undefined, { timeout: 60000 }).catch((e) => console.log('err', String(e))); lat.push(performance.now() - s); await new Promise((r) => setTimeout(r, 50)); }
stop = true;
lat.sort((a, b) => a - b);
console.log(vector, 'sent', sent, 'p50', lat[30]!.toFixed(1), 'p99', lat[59]!.toFixed(1));
await Promise.all(attackers);
server.child.kill('SIGKILL');
process.exit(0);
