import type { Socket } from 'socket.io';

/** The Engine.IO internals read here: the queue of packets not yet handed to the transport, and the WebSocket's own buffer. */
interface EngineConnection {
  writeBuffer?: { data?: unknown }[];
  transport?: { socket?: { bufferedAmount?: number; terminate?: () => void } };
  close(discard?: boolean): void;
}

const engineOf = (socket: Socket): EngineConnection => socket.conn as unknown as EngineConnection;

const sizeOf = (data: unknown): number =>
  typeof data === 'string' ? data.length : data instanceof ArrayBuffer || ArrayBuffer.isView(data) ? data.byteLength : 0;

/**
 * Bytes queued for this socket and not yet written to the network: Engine.IO's write buffer plus
 * the WebSocket's. Counting stops once `atLeast` is reached, so a check costs O(1) for a healthy socket.
 */
export function pendingOutboundBytes(socket: Socket, atLeast = Infinity): number {
  const conn = engineOf(socket);
  let bytes = conn.transport?.socket?.bufferedAmount ?? 0;
  for (const packet of conn.writeBuffer ?? []) {
    if (bytes >= atLeast) break;
    bytes += sizeOf(packet.data);
  }
  return bytes;
}

/**
 * Drops the connection now, discarding what is queued: a plain close would wait for a client
 * that does not read to drain the buffer first.
 */
export function dropConnection(socket: Socket): void {
  const conn = engineOf(socket);
  conn.transport?.socket?.terminate?.();
  conn.close(true);
}
