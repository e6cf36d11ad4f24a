import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, runCli, type CliProcess } from '../helpers/cli';
import { openTokenAdmin } from '../../electron/server/auth/token-admin';

/** Operator-facing storage behaviour of `zenflow serve`: one writer, a checked self-contained store, failures that say why. */

const dirs: string[] = [];
const mounts: string[] = [];
const dataDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'zenflow-cli-storage-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const m of mounts.reverse()) execFileSync('umount', [m]);
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

const serveArgs = (dir: string, ...extra: string[]) => ['serve', '--port', '0', '--data-dir', dir, '--secret-store', 'file', '--log-level', 'warn', ...extra];

async function serve(dir: string, ...extra: string[]): Promise<{ p: CliProcess; base: string; token: string }> {
  const p = runCli(serveArgs(dir, ...extra));
  const [, base] = await p.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 20_000);
  const [, token] = await p.waitFor(/\?token=([\w.-]+)/);
  return { p, base: base!, token: token! };
}

async function api(base: string, token: string, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return (await res.json()) as Record<string, unknown>;
}

const swarmNames = async (base: string, token: string) => ((await api(base, token, 'GET', '/api/swarms')).swarms as { name: string }[]).map((s) => s.name);

describe('one writer per data directory', () => {
  it('a second server on the same directory is refused naming the holder; after kill -9 of the first a new one starts', async () => {
    const dir = dataDir();
    const first = await serve(dir);
    const second = await cli(serveArgs(dir));
    expect(second.code).not.toBe(0);
    expect(second.stderr).toContain(`${dir}: the data directory is in use by a Zen Flow server (pid ${first.p.child.pid} on host ${hostname()}`);
    // Token administration shares the directory with the running server (it touches only token tables).
    expect((await cli(['token', 'list', '--data-dir', dir, '--secret-store', 'file'])).code).toBe(0);

    first.p.child.kill('SIGKILL');
    await first.p.exited;
    const third = await serve(dir);
    expect(await swarmNames(third.base, third.token)).toEqual([]);
    third.p.child.kill('SIGTERM');
    expect(await third.p.exited).toEqual({ code: 0, signal: null });
  });

  it('a token command left last on the store after its server was killed does not make the next start take the log for lost', async () => {
    const dir = dataDir();
    const first = await serve(dir);
    // Opened beside the running server (without the lock), as `zenflow token` is.
    const admin = await openTokenAdmin(dir, { preferFile: true });
    const { jti } = await admin.tokens.issue({ permissions: ['read:swarms'], userId: 'beside' });
    await api(first.base, first.token, 'POST', '/api/swarms', { name: 'Acked', topology: 'mesh', agents: 1 });
    first.p.child.kill('SIGKILL');
    await first.p.exited;
    expect(statSync(join(dir, 'zenflow.db-wal')).size).toBeGreaterThan(32); // positive control: the acked rows are in the log
    // The last connection out: SQLite folds the log into the file and removes it as this closes.
    admin.close();
    const wal = join(dir, 'zenflow.db-wal');
    expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);

    const next = await serve(dir);
    expect(await swarmNames(next.base, next.token)).toEqual(['Acked']);
    const listed = await api(next.base, next.token, 'GET', '/api/tokens');
    expect(JSON.stringify(listed)).toContain(jti);
    next.p.child.kill('SIGTERM');
    expect(await next.p.exited).toEqual({ code: 0, signal: null });
  });
});

describe('a self-contained, checked database', () => {
  it('a clean stop leaves no write-ahead log: the database file alone holds every row', async () => {
    const dir = dataDir();
    const { p, base, token } = await serve(dir);
    await api(base, token, 'POST', '/api/swarms', { name: 'Kept', topology: 'mesh', agents: 2 });
    expect(statSync(join(dir, 'zenflow.db-wal')).size).toBeGreaterThan(0); // positive control: the row went to the log
    p.child.kill('SIGTERM');
    expect(await p.exited).toEqual({ code: 0, signal: null });
    const wal = join(dir, 'zenflow.db-wal');
    expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);
    expect(existsSync(join(dir, 'zenflow.pid'))).toBe(false);

    // Only the database file, copied alone, still has the swarm.
    const alone = dataDir();
    cpSync(join(dir, 'zenflow.db'), join(alone, 'zenflow.db'));
    cpSync(join(dir, 'secrets.json'), join(alone, 'secrets.json'));
    const again = await serve(alone);
    expect(await swarmNames(again.base, again.token)).toEqual(['Kept']);
    again.p.child.kill('SIGTERM');
    await again.p.exited;
  });

  it('a damaged write-ahead log is refused at start with what to do; the same store undamaged starts with its rows', async () => {
    const dir = dataDir();
    const { p, base, token } = await serve(dir);
    for (let i = 0; i < 5; i++) await api(base, token, 'POST', '/api/swarms', { name: `S${i}`, topology: 'mesh', agents: 3 });
    p.child.kill('SIGKILL');
    await p.exited;
    const wal = join(dir, 'zenflow.db-wal');
    expect(statSync(wal).size).toBeGreaterThan(32);
    const control = dataDir();
    cpSync(dir, control, { recursive: true });

    const bytes = readFileSync(wal);
    bytes.writeUInt32BE((bytes.readUInt32BE(24) ^ 0xdeadbeef) >>> 0, 24); // the header checksum
    writeFileSync(wal, bytes);
    const refused = await cli(serveArgs(dir));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${wal}: the write-ahead log is damaged: its header is damaged`);
    expect(refused.stderr).toContain('restore the latest backup with `zenflow restore');

    const fine = await serve(control);
    expect(await swarmNames(fine.base, fine.token)).toEqual(['S0', 'S1', 'S2', 'S3', 'S4']);
    fine.p.child.kill('SIGTERM');
    await fine.p.exited;
  });
});

describe('start-up failures name the file and the cause, and exit non-zero', () => {
  const mount = (target: string, ...args: string[]) => {
    execFileSync('mount', [...args, target]);
    mounts.push(target);
  };

  it('a read-only data directory', async () => {
    const dir = join(dataDir(), 'ro');
    mkdirSync(dir);
    mount(dir, '-t', 'tmpfs', '-o', 'size=1m,ro', 'tmpfs');
    const r = await cli(serveArgs(dir));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${dir}: the data directory is not writable: the file system is read-only (EROFS)`);
  });

  it('an unwritable database file', async () => {
    const dir = dataDir();
    const first = await serve(dir);
    first.p.child.kill('SIGTERM');
    await first.p.exited;
    const db = join(dir, 'zenflow.db');
    mount(db, '--bind', db);
    execFileSync('mount', ['-o', 'remount,bind,ro', db]);
    const r = await cli(serveArgs(dir));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${db}: the database file is not writable: the file system is read-only (EROFS)`);
  });

  it('a corrupt secrets.json', async () => {
    const dir = dataDir();
    writeFileSync(join(dir, 'secrets.json'), '{"jwt-signing-secret": "abc', { mode: 0o600 });
    const r = await cli(serveArgs(dir));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${join(dir, 'secrets.json')}: the secrets file is not valid JSON`);
    expect(r.stderr).toMatch(/move it aside to start with a new signing secret/);
  });

  it('a damaged database file', async () => {
    const dir = dataDir();
    writeFileSync(join(dir, 'zenflow.db'), Buffer.alloc(8192, 'not a database '));
    const r = await cli(serveArgs(dir));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${join(dir, 'zenflow.db')}: the database is damaged or not a database`);
    expect(r.stderr).toContain('restore the latest backup');
  });

  it('a port in use', async () => {
    const holder = createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
    const { port } = holder.address() as AddressInfo;
    try {
      const dir = dataDir();
      const r = await cli([...serveArgs(dir), '--port', String(port)]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`127.0.0.1:${port}: the port is already in use by another process`);
      // The refused server let go of its directory.
      expect(existsSync(join(dir, 'zenflow.pid'))).toBe(false);
    } finally {
      holder.close();
    }
  });
});

describe('backup and restore', () => {
  it('backs up while the server runs; restore is refused while it runs and afterwards gives an identical store', async () => {
    const dir = dataDir();
    const { p, base, token } = await serve(dir);
    await api(base, token, 'POST', '/api/swarms', { name: 'Before', topology: 'star', agents: 2 });
    await api(base, token, 'POST', '/api/tasks', { title: 'T', estimatedDuration: 100 });
    const file = join(dataDir(), 'zenflow-backup.db');
    const backup = await cli(['backup', file, '--data-dir', dir]);
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/backed up .*zenflow\.db to .*zenflow-backup\.db \(\d+ bytes, \d+ rows, integrity ok\)/);
    expect((await cli(['backup', file, '--data-dir', dir])).stderr).toContain('the backup file already exists');
    await api(base, token, 'POST', '/api/swarms', { name: 'After', topology: 'mesh', agents: 1 });

    const busy = await cli(['restore', file, '--data-dir', dir]);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain(`pid ${p.child.pid} on host ${hostname()}`);
    p.child.kill('SIGTERM');
    await p.exited;

    const restored = await cli(['restore', file, '--data-dir', dir]);
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/the store it replaced is kept as .*zenflow\.db\.before-restore-/);
    const again = await serve(dir);
    expect(await swarmNames(again.base, again.token)).toEqual(['Before']);
    again.p.child.kill('SIGTERM');
    await again.p.exited;
  });
});

describe('task attempt cap', () => {
  it('a task interrupted by kill -9 again and again ends as failed after --task-attempts runs, with the reason', async () => {
    const dir = dataDir();
    const first = await serve(dir, '--task-attempts', '2');
    await api(first.base, first.token, 'POST', '/api/swarms', { name: 'S', topology: 'mesh', agents: 1 });
    const { id } = (await api(first.base, first.token, 'POST', '/api/tasks', { title: 'Long', estimatedDuration: 3_600_000 })) as { id: string };
    const state = async (base: string, token: string) =>
      (await api(base, token, 'GET', `/api/tasks/${id}`)) as { state: string; queueReason: string | null; stopReason: string | null };
    expect((await state(first.base, first.token)).state).toMatch(/assigned|running/);
    first.p.child.kill('SIGKILL');
    await first.p.exited;

    const second = await serve(dir, '--task-attempts', '2');
    // Below the cap it runs again (re-queued, then taken by the idle agent).
    expect(await state(second.base, second.token)).toMatchObject({ state: expect.stringMatching(/assigned|running/), stopReason: null });
    second.p.child.kill('SIGKILL');
    await second.p.exited;

    const third = await serve(dir, '--task-attempts', '2');
    expect(await state(third.base, third.token)).toMatchObject({ state: 'failed', stopReason: 'interrupted 2 times by a server stop while it ran; gave up after 2 attempts' });
    third.p.child.kill('SIGTERM');
    await third.p.exited;
  });
});

describe('bounded shutdown', () => {
  it('SIGTERM exits within ~2 s while a client has stopped reading', async () => {
    const dir = dataDir();
    const { p, base, token } = await serve(dir);
    const ws = new WebSocket(`${base.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
    const frames: string[] = [];
    ws.on('message', (d: Buffer) => frames.push(d.toString()));
    const seen = (prefix: string) =>
      new Promise<void>((resolve, reject) => {
        if (frames.some((f) => f.startsWith(prefix))) return resolve();
        const timer = setTimeout(() => reject(new Error(`no ${prefix} frame within 5 s; got ${JSON.stringify(frames)}`)), 5000);
        const on = (d: Buffer) => {
          if (!d.toString().startsWith(prefix)) return;
          clearTimeout(timer);
          ws.off('message', on);
          resolve();
        };
        ws.on('message', on);
      });
    await seen('0{');
    ws.send(`40${JSON.stringify({ token })}`);
    await seen('40{');
    ws.send(`421${JSON.stringify(['subscribe', { channels: ['system', 'swarms'] }])}`);
    await seen('431');
    expect(frames.some((f) => f.startsWith('40{'))).toBe(true); // connected
    expect(frames.some((f) => f.startsWith('431'))).toBe(true); // subscribed
    // From here on the client reads nothing: it never answers pings or the close handshake.
    (ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const received = frames.length;
    // A while of not reading (pings and status frames pile up unread): the situation under test.
    await new Promise((r) => setTimeout(r, 1500));

    const started = Date.now();
    p.child.kill('SIGTERM');
    const exit = await p.exited;
    const took = Date.now() - started;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(frames.length).toBe(received);
    expect(took).toBeLessThan(2500);
    ws.terminate();
  });
});
