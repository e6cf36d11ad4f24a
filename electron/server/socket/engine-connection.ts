import type { Socket } from 'socket.io';

/**
 * The Engine.IO internals the server's limits need: the queue of packets not yet handed to the
 * transport, the WebSocket's own buffer, and its TCP socket.
 */
export interface EngineConnection {
  writeBuffer?: { data?: unknown }[];
  transport?: { name?: string; socket?: { bufferedAmount?: number; terminate?: () => void; _socket?: { pause(): void; resume(): void; destroyed?: boolean } } };
  close(discard?: boolean): void;
}

const engineOf = (socket: Socket): EngineConnection => socket.conn as unknown as EngineConnection;

/** Bytes of one Engine.IO packet's data. */
export const packetBytes = (data: unknown): number => (typeof data === 'string' ? data.length : data instanceof ArrayBuffer || ArrayBuffer.isView(data) ? data.byteLength : 0);

/**
 * Bytes queued for this socket and not yet written to the network: Engine.IO's write buffer plus
 * the WebSocket's. Counting stops once `atLeast` is reached, so a check costs O(1) for a healthy socket.
 */
export function pendingOutboundBytes(socket: Socket, atLeast = Infinity): number {
  const conn = engineOf(socket);
  let bytes = conn.transport?.socket?.bufferedAmount ?? 0;
  for (const packet of conn.writeBuffer ?? []) {
    if (bytes >= atLeast) break;
    bytes += packetBytes(packet.data);
  }
  return bytes;
}

/**
 * Drops the connection now, discarding what is queued: a plain close would wait for a client
 * that does not read to drain the buffer first.
 */
export function dropConnection(socket: Socket): void {
  dropEngineConnection(engineOf(socket));
}

export function dropEngineConnection(conn: EngineConnection): void {
  conn.transport?.socket?.terminate?.();
  conn.close(true);
}

/**
 * Stops reading from a client for `ms`: a WebSocket's TCP socket is paused (backpressure reaches the
 * sender); a long-polling client, whose requests cannot be paused that way, is dropped instead.
 */
export function pauseReading(conn: EngineConnection, ms: number): void {
  const tcp = conn.transport?.name === 'websocket' ? conn.transport.socket?._socket : undefined;
  if (!tcp) return dropEngineConnection(conn);
  tcp.pause();
  setTimeout(() => {
    if (!tcp.destroyed) tcp.resume();
  }, ms).unref();
}
