import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { Server, type Socket } from 'socket.io';
import { COMMAND_NAMES } from '../../../shared/protocol/command-table';
import { passesSubscription } from '../../../shared/protocol/filters';
import { compactScopes, effectiveScopes } from '../../../shared/protocol/permissions';
import type { Clock, TimerHandle } from '../../engines/clock';
import { bearerToken } from '../auth/bearer';
import type { TokenClaims, TokenService } from '../auth/token-service';
import type { SessionRegistry } from '../delivery/registry';
import type { CommandDispatcher } from '../dispatcher';
import type { AuthNotifier } from '../handlers/auth';
import type { CommandContext } from '../handlers/types';
import type { ServerOptions } from '../options';
import { checkRequest, type OriginPolicy } from '../security/origin';
import { SocketSession } from './session';

/** setTimeout can't wait longer than 2^31-1 ms; longer waits re-arm. */
const MAX_TIMER_MS = 2_000_000_000;
const REVOCATION_SWEEP_MS = 3000;

export interface SocketServerDeps {
  options: ServerOptions;
  tokens: TokenService;
  registry: SessionRegistry;
  dispatcher: CommandDispatcher;
  clock: Clock;
  log: Logger;
  policy: OriginPolicy;
  latestStatus: () => object | null;
  /** The event log's epoch and newest seq, announced in `auth:session` (PROTOCOL.md §9). */
  logPosition?: () => { epoch: string; seq: number };
  /** Told the number of connected sockets whenever it changes. */
  onConnectionCount?: (n: number) => void;
}

/**
 * Socket.IO on the HTTP server: transport settings (PROTOCOL.md §1), the auth
 * middleware (§2), commands (§4) and per-socket events; channel events arrive
 * through the delivery pipeline.
 */
export class SocketServer implements AuthNotifier {
  readonly io: Server;
  private readonly pingTimer: NodeJS.Timeout;
  private readonly revocationTimer: NodeJS.Timeout;

  constructor(
    httpServer: HttpServer,
    private readonly deps: SocketServerDeps,
  ) {
    const { options, policy } = deps;
    this.io = new Server(httpServer, {
      path: '/socket.io',
      serveClient: false,
      transports: ['polling', 'websocket'],
      pingInterval: options.pingInterval,
      pingTimeout: options.pingTimeout,
      maxHttpBufferSize: options.maxHttpBufferSize,
      perMessageDeflate: options.compression ? { threshold: 1024 } : false,
      httpCompression: options.compression ? { threshold: 1024 } : false,
      cors: { origin: (origin, cb) => cb(null, origin !== undefined && policy.allowedOrigins.includes(origin)), credentials: false },
      allowRequest: (req, cb) => {
        const check = checkRequest({ host: req.headers.host, origin: req.headers.origin }, policy);
        if (!check.ok) deps.log.warn({ reason: check.reason }, 'refused socket request');
        cb(check.ok ? null : check.reason, check.ok);
      },
    });
    this.io.use((socket, next) => {
      void this.authenticate(socket).then(() => next(), (err: unknown) => next(err instanceof Error ? err : new Error(String(err))));
    });
    this.io.on('connection', (socket) => this.onConnection(socket));
    deps.tokens.onRevoke((jti) => this.endSessions(jti, 'token_revoked', 'auth: token revoked'));
    this.pingTimer = setInterval(() => this.pingAll(), options.appPingInterval);
    this.pingTimer.unref();
    // `zenflow token revoke` runs in another process: notice its revocations too.
    this.revocationTimer = setInterval(() => this.sweepRevoked(), REVOCATION_SWEEP_MS);
    this.revocationTimer.unref();
  }

  private async authenticate(socket: Socket): Promise<void> {
    const auth = (socket.handshake.auth ?? {}) as { token?: unknown; permissions?: unknown };
    const result = await this.deps.tokens.verify(auth.token ?? bearerToken(socket.handshake.headers.authorization));
    if (!result.ok) {
      throw Object.assign(new Error(result.message), { data: { code: result.code } });
    }
    const requested = Array.isArray(auth.permissions) ? auth.permissions.filter((p): p is string => typeof p === 'string') : undefined;
    socket.data.claims = result.claims;
    socket.data.scopes = effectiveScopes(result.claims.permissions, requested);
  }

  private onConnection(socket: Socket): void {
    const session = new SocketSession(socket, socket.data.claims as TokenClaims, socket.data.scopes, this.deps.clock);
    this.deps.registry.add(session);
    this.deps.onConnectionCount?.(this.deps.registry.size);
    this.announceSession(session);
    this.scheduleAuth(session);
    const ctx = (): CommandContext => ({
      userId: session.claims.userId,
      tokenId: session.claims.jti,
      scopes: session.scopes,
      socketId: session.id,
      transport: 'socket',
    });
    for (const name of COMMAND_NAMES) {
      socket.on(name, (...args: unknown[]) => void this.deps.dispatcher.fromSocket(name, args, ctx(), `token:${session.claims.jti}`));
    }
    socket.on('pong', (value: unknown) => socket.emit('pong', value));
    socket.on('disconnect', () => {
      this.deps.registry.remove(session);
      session.dispose();
      this.deps.onConnectionCount?.(this.deps.registry.size);
    });
  }

  /** On subscribing to `system` a socket at once gets the latest status, through its own filter. */
  sendSnapshot(session: SocketSession, channels: readonly string[]): void {
    if (!channels.includes('system') || !session.canRead('system')) return;
    const status = this.deps.latestStatus() as Record<string, unknown> | null;
    const sub = session.subscriptions.get('system');
    if (!status || !sub || !passesSubscription('system', sub, 'system:status', status)) return;
    session.deliver('system:status', status);
  }

  private announceSession(session: SocketSession): void {
    session.emit('auth:session', {
      userId: session.claims.userId,
      permissions: compactScopes(session.scopes),
      expiresAt: session.claims.expiresAt,
      ...this.deps.logPosition?.(),
      timestamp: Date.now(),
    });
  }

  /** Offers a refresh token before the access token expires, and ends the session when it does. */
  private scheduleAuth(session: SocketSession): void {
    const { clock, tokens, options } = this.deps;
    const exp = session.claims.expiresAt;
    if (exp === null) return session.setAuthTimers([]);
    const untilExpiry = exp - clock.now();
    if (untilExpiry > MAX_TIMER_MS) {
      session.setAuthTimers([clock.setTimeout(() => this.scheduleAuth(session), MAX_TIMER_MS)]);
      return;
    }
    const jti = session.claims.jti;
    const timers: TimerHandle[] = [
      clock.setTimeout(() => {
        if (session.claims.jti !== jti || !session.socket.connected) return;
        const { refreshToken } = tokens.createRefreshToken(session.claims);
        session.emit('auth:token:refresh', { refreshToken, expiresAt: exp, timestamp: Date.now() });
      }, Math.max(0, untilExpiry - options.refreshLeadSeconds * 1000)),
      clock.setTimeout(() => {
        if (session.claims.jti === jti) this.endSession(session, 'token_expired', 'auth: token expired');
      }, Math.max(0, untilExpiry)),
    ];
    session.setAuthTimers(timers);
  }

  private endSession(session: SocketSession, code: string, message: string): void {
    session.emit('auth:error', { code, message, timestamp: Date.now() });
    session.socket.disconnect(true);
  }

  private endSessions(jti: string, code: string, message: string): void {
    for (const s of this.deps.registry.withToken(jti)) this.endSession(s, code, message);
  }

  async tokenRefreshed(previousJti: string, token: string): Promise<void> {
    const verified = await this.deps.tokens.verify(token);
    if (!verified.ok) return;
    for (const session of this.deps.registry.withToken(previousJti)) {
      session.claims = verified.claims;
      this.scheduleAuth(session);
      this.announceSession(session);
    }
  }

  toRequester(tokenJti: string | null, event: string, payload: Record<string, unknown>): void {
    if (!tokenJti) return;
    for (const s of this.deps.registry.withToken(tokenJti)) s.emit(event, { ...payload, timestamp: Date.now() });
  }

  toAdmins(event: string, payload: Record<string, unknown>): void {
    for (const s of this.deps.registry.all()) if (s.scopes.has('admin:system')) s.emit(event, { ...payload, timestamp: Date.now() });
  }

  toSocket(socketId: string, event: string, payload: unknown): void {
    this.deps.registry.get(socketId)?.emit(event, payload);
  }

  /** Application ping (PROTOCOL.md §6); an acknowledging client also gives us its round-trip latency. */
  private pingAll(): void {
    const { registry, options } = this.deps;
    for (const session of registry.all()) {
      const sent = performance.now();
      session.socket.timeout(options.pingTimeout).emit('ping', { timestamp: Date.now() }, (err: Error | null) => {
        if (!err) session.recordLatency(performance.now() - sent);
      });
    }
  }

  private sweepRevoked(): void {
    const jtis = new Set([...this.deps.registry.all()].map((s) => s.claims.jti));
    for (const jti of jtis) {
      if (this.deps.tokens.get(jti)?.revokedAt != null) this.endSessions(jti, 'token_revoked', 'auth: token revoked');
    }
  }

  async close(reason = 'server shutting down'): Promise<void> {
    clearInterval(this.pingTimer);
    clearInterval(this.revocationTimer);
    for (const s of this.deps.registry.all()) s.emit('server:shutdown', { reason, timestamp: Date.now() });
    // Not io.close(): that would also close the HTTP server, which Fastify owns.
    this.io.disconnectSockets(true);
    this.io.engine.close();
  }
}
