import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents } from './event-map';
import type { Scope } from './permissions';

/** Who a verified token says the caller is. */
export interface TokenClaims {
  userId: string;
  permissions: string[];
  jti: string;
  /** The token family: refreshed and granted tokens share their origin's, and with it its budget and revocation. */
  family: string;
  issuedAt: number;
  /** ms since epoch; null for the env admin token, which never expires. */
  expiresAt: number | null;
}

/** What the auth middleware leaves on a socket once its token is verified. */
export interface SocketData {
  claims: TokenClaims;
  scopes: ReadonlySet<Scope>;
}

/**
 * The server's Socket.IO types (type-only: this module is erased, so shared/ stays free of
 * Node code). The server's emits and listeners are checked against the same maps the SDK uses.
 */
export type ZenFlowServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type ZenFlowServerSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
