import { mkdtempSync, rmSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server } from 'socket.io';
import type { Scenario, ServerHandle } from '../scenario';
import { swarmCreatedPayload } from './wire-payload';

/** Bare Socket.IO: accepts anyone, joins a room on `subscribe`, broadcasts one `swarm:created` per `swarm:create`. */
export const bareSocketIo: Scenario = {
  name: 'A',
  about: 'bare Socket.IO: a room per channel, one broadcast per event, nothing else',
  wire: 'socket.io',
  setup: () => [['subscribe', { channels: ['swarms'] }]],
  expects: () => true,
  start: () => startBare(0),
};

/**
 * A control for reading C1 against A: bare Socket.IO that also spends about what our durable
 * command costs in CPU per event (1.5 ms, measured with `--perf`) on work that has nothing to do
 * with delivery. Whatever its deliveries cost beyond A's is what that much work per event does
 * to the delivery path on this machine.
 */
export const bareSocketIoBusy: Scenario = {
  ...bareSocketIo,
  name: 'A2',
  about: 'A plus 1.5 ms of unrelated allocating work per event (a command’s worth of CPU)',
  start: () => startBare(1.5),
};

/**
 * A2 that also writes 28 KB (the WAL pages of one of our commands) and fdatasyncs it on the thread
 * pool for each event, not waiting for it: a command's CPU and disk traffic around bare delivery.
 */
export const bareSocketIoBusySynced: Scenario = {
  ...bareSocketIo,
  name: 'A3',
  about: 'A2 plus a 28 KB write and fdatasync per event on the thread pool, as a durable command does',
  start: () => startBare(1.5, true),
};

/** Keeps the event loop busy for `ms` with the allocating kind of work a real command does. */
function burn(ms: number): void {
  const until = performance.now() + ms;
  let bytes = 0;
  while (performance.now() < until) bytes += JSON.stringify(Array.from({ length: 100 }, (_, i) => ({ i, name: `agent-${i}` }))).length;
  if (bytes < 0) throw new Error('unreachable');
}

const WAL_PAGES = Buffer.alloc(7 * 4096, 1);

/** Writes and syncs a command's worth of log pages per call, over a file it reuses like a WAL. */
function syncedLog(): { append(): void; close(): Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'zenflow-bench-a3-'));
  const file = open(join(dir, 'log'), 'w+');
  let offset = 0;
  const pending = new Set<Promise<void>>();
  const write = async (handle: FileHandle, at: number) => {
    await handle.write(WAL_PAGES, 0, WAL_PAGES.length, at);
    await handle.datasync();
  };
  return {
    append() {
      const at = offset;
      offset = (offset + WAL_PAGES.length) % (WAL_PAGES.length * 256);
      const done = file
        .then((handle) => write(handle, at))
        .catch((err: unknown) => console.error('A3: log write failed', err))
        .finally(() => pending.delete(done));
      pending.add(done);
    },
    async close() {
      await Promise.allSettled(pending);
      await (await file).close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Bare Socket.IO; each `swarm:create` first burns `busyMs` of CPU and, if `synced`, writes and syncs a command's log pages. */
async function startBare(busyMs: number, synced = false): Promise<ServerHandle> {
  const log = synced ? syncedLog() : null;
  const http = createServer();
  const io = new Server(http, { transports: ['websocket'], serveClient: false, perMessageDeflate: false, pingInterval: 25_000, pingTimeout: 20_000 });
  let seq = 0;
  io.on('connection', (socket) => {
    socket.on('subscribe', (spec: { channels: string[] }, ack: (r: unknown) => void) => {
      for (const c of spec.channels) void socket.join(c);
      ack({ subscriptions: Object.fromEntries(spec.channels.map((c) => [c, { filter: {}, exclude: [] }])) });
    });
    socket.on('swarm:create', (args: { name: string; topology: string }, ack: (r: unknown) => void) => {
      if (busyMs > 0) burn(busyMs);
      log?.append();
      const payload = swarmCreatedPayload(++seq, args.name, args.topology);
      io.to('swarms').emit('swarm:created', payload);
      ack(payload);
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    close: async () => {
      await io.close();
      await log?.close();
    },
  };
}
