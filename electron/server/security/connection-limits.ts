import type { Server as NetServer, Socket as NetSocket } from 'node:net';
import type { Logger } from 'pino';

/**
 * Caps the TCP connections one remote address may hold open at once (HTTP, long-polling and
 * WebSocket alike); the connection past the cap is closed before any byte of it is read.
 */
export function limitConnectionsPerAddress(server: NetServer, max: number, log: Logger): { open: (address: string) => number } {
  const open = new Map<string, number>();
  let lastWarning = 0;
  server.on('connection', (socket: NetSocket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const count = (open.get(address) ?? 0) + 1;
    if (count > max) {
      socket.destroy();
      const now = Date.now();
      if (now - lastWarning > 10_000) {
        lastWarning = now;
        log.warn({ max }, 'refused a connection: its address already holds the most connections allowed');
      }
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
  return { open: (address) => open.get(address) ?? 0 };
}
