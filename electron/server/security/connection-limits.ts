import type { Server as NetServer, Socket as NetSocket } from 'node:net';
import type { Logger } from 'pino';
import { KeyedTokenBuckets } from './token-buckets';

export interface ConnectionLimits {
  /** Connections one address may hold open at once. */
  maxOpen: number;
  /** New connections one address may open per second, sustained (a burst of 5× is allowed). */
  perSecond: number;
}

/**
 * Caps the TCP connections one remote address may hold open and how fast it may open new ones
 * (HTTP, long-polling and WebSocket alike). A refused connection is closed before any byte of it is
 * read: connection churn costs the server a handshake and a session each time.
 */
export function limitConnectionsPerAddress(server: NetServer, limits: ConnectionLimits, log: Logger): void {
  const open = new Map<string, number>();
  const rate = new KeyedTokenBuckets(limits.perSecond, limits.perSecond * 5);
  let lastWarning = 0;
  server.on('connection', (socket: NetSocket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const count = (open.get(address) ?? 0) + 1;
    const refusal = count > limits.maxOpen ? 'holds the most connections allowed' : rate.owes(address) || rate.spend(address, 1) > 0 ? 'opens connections too fast' : null;
    if (refusal) {
      socket.destroy();
      const now = Date.now();
      if (now - lastWarning > 10_000) {
        lastWarning = now;
        log.warn({ limits, reason: refusal }, `refused a connection: its address ${refusal}`);
      }
      return;
    }
    open.set(address, count);
    socket.on('close', release);
  });
  // Shared by every socket (called with it as `this`); the address read above stays cached on the socket after it closes.
  function release(this: NetSocket): void {
    const address = this.remoteAddress ?? 'unknown';
    const left = (open.get(address) ?? 1) - 1;
    if (left <= 0) open.delete(address);
    else open.set(address, left);
  }
}
