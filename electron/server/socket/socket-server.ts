import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { Server } from 'socket.io';
import type { ZenFlowServer, ZenFlowServerSocket } from '../../../shared/protocol/socket-types';
import { COMMANDS, type CommandName } from '../../../shared/protocol/command-table';
import { pongSchema } from '../../../shared/protocol/commands';
import type { EventInput, EventPayload, ServerEventName } from '../../../shared/protocol/events';
import { ProtocolError, type AuthErrorCode } from '../../../shared/protocol/errors';
import { passesSubscription } from '../../../shared/protocol/filters';
import { compactScopes, effectiveScopes, type Scope } from '../../../shared/protocol/permissions';
import type { Clock, TimerHandle } from '../../engines/clock';
import { bearerToken } from '../auth/bearer';
import { familyKey, type TokenClaims, type TokenService } from '../auth/token-service';
import { BatchGroups } from '../delivery/batch-groups';
import type { SessionRegistry } from '../delivery/registry';
import type { CommandDispatcher } from '../dispatcher';
import type { AuthNotifier } from '../handlers/auth';
import type { CommandContext } from '../handlers/types';
import type { ServerOptions } from '../options';
import { addressKey, addressLabel } from '../security/client-label';
import { KeyedTokenBuckets } from '../security/token-buckets';
import { checkRequest, type OriginPolicy } from '../security/origin';
import { nestsDeeperThan, payloadBoundsViolation, type PayloadBounds } from '../security/payload-bounds';
import { containedShared, runContained } from './contain';
import { dropConnection, dropEngineConnection, packetBytes, pauseReading, pendingOutboundBytes, type EngineConnection } from './engine-connection';
import { requestScheme } from '../tls/tls-setup';
import { SocketSession } from './session';
import { SpreadRound } from './spread-round';
import { Deadlines } from './deadlines';

const REVOCATION_SWEEP_MS = 3000;
const OUTBOUND_CHECK_MS = 1000;
/** Distinct scope sets kept for sharing; there are few in practice, and a flood of odd ones is not kept. */
const MAX_SHARED_SCOPE_SETS = 256;
/** Before it authenticates, a connection needs only room for its CONNECT packets. */
const UNAUTHENTICATED_BURST_BYTES = 64 * 1024;

const CHECKED = Object.freeze({});

const authError = (code: AuthErrorCode, message: string): Error => Object.assign(new Error(message), { data: { code } });

export interface SocketServerDeps {
  options: ServerOptions;
  tokens: TokenService;
  registry: SessionRegistry;
  dispatcher: CommandDispatcher;
  clock: Clock;
  log: Logger;
  policy: OriginPolicy;
  latestStatus: () => object | null;
  /** The event log's epoch and newest seq, announced in `auth:session` (docs/protocol.md §10). */
  logPosition?: () => { epoch: string; seq: number };
  /** Told the number of connected sockets whenever it changes. */
  onConnectionCount?: (n: number) => void;
  /** Told when a socket is dropped for not reading its frames. */
  onSlowConsumer?: () => void;
}

/**
 * Socket.IO on the HTTP server: transport settings (docs/protocol.md §1), the auth
 * middleware (§2), commands (§4) and per-socket events; channel events arrive
 * through the delivery pipeline.
 */
export class SocketServer implements AuthNotifier {
  readonly io: ZenFlowServer;
  private readonly pings: SpreadRound<SocketSession>;
  private readonly revocationTimer: TimerHandle;
  private readonly outboundTimer: TimerHandle;
  private readonly bounds: PayloadBounds;
  /** Authentication attempts per Engine.IO connection until one succeeds: one that keeps failing is closed. */
  private readonly authAttempts = new WeakMap<object, number>();
  /** Inbound bytes per principal: a frame is parsed before anything else can refuse it. */
  private readonly inbound: KeyedTokenBuckets;
  /** The verified token of each authenticated Engine.IO connection: its frames spend its token family's inbound allowance. */
  private readonly principals = new WeakMap<object, TokenClaims>();
  private readonly scopeSets = new Map<string, ReadonlySet<Scope>>();
  private readonly batchGroups: BatchGroups;
  /** Every session's next auth moment (refresh offer, then expiry) on one timer. */
  private readonly authDeadlines: Deadlines<SocketSession>;
  // Shared by every socket (called with it as `this`), so an idle connection holds no closures of its own.
  private readonly onPong: (this: ZenFlowServerSocket, value: unknown) => void;
  private readonly onDisconnect: (this: ZenFlowServerSocket) => void;

  constructor(
    httpServer: HttpServer,
    private readonly deps: SocketServerDeps,
  ) {
    const { options, policy } = deps;
    this.onPong = containedShared(deps.log, 'pong', (socket: ZenFlowServerSocket, value: unknown) => {
      const echo = pongSchema.safeParse(value);
      if (echo.success) socket.emit('pong', echo.data);
    });
    this.onDisconnect = containedShared(deps.log, 'disconnect', (socket: ZenFlowServerSocket) => {
      const session = deps.registry.get(socket.id);
      if (!session) return;
      deps.registry.remove(session);
      this.authDeadlines.cancel(session.authDeadline);
      session.dispose();
      deps.onConnectionCount?.(deps.registry.size);
    });
    this.bounds = { maxDepth: options.payloadMaxDepth, maxNodes: options.payloadMaxNodes };
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
        const check = checkRequest({ host: req.headers.host, origin: req.headers.origin }, policy, requestScheme(req, options.trustProxy));
        if (!check.ok) deps.log.warn({ reason: check.reason }, 'refused socket request');
        cb(check.ok ? null : check.reason, check.ok);
      },
    });
    this.batchGroups = new BatchGroups(this.io, deps.clock);
    this.authDeadlines = new Deadlines(
      deps.clock,
      (session) => this.authDue(session),
      (err) => deps.log.error({ err }, 'token expiry handling failed'),
    );
    this.inbound = new KeyedTokenBuckets(options.maxInboundBytesPerSecond, Math.max(options.maxHttpBufferSize, options.maxInboundBytesPerSecond) * 4, () => deps.clock.now());
    type MeteredConnection = EngineConnection & { id: string };
    const meterPacket = containedShared(deps.log, 'inbound packet', (conn: MeteredConnection, packet: { data?: unknown }) => this.meter(conn, packet));
    this.io.engine.on('connection', (conn: MeteredConnection & { on(e: 'packet', l: typeof meterPacket): void }) => conn.on('packet', meterPacket));
    this.io.use((socket, next) => {
      void this.authenticate(socket).then(
        () => next(),
        (err: unknown) => next(err instanceof Error ? err : new Error(String(err))),
      );
    });
    this.io.on('connection', (socket) => this.onConnection(socket));
    deps.tokens.onRevoke((jti) => this.endSessions(jti, 'token_revoked', 'auth: token revoked'));
    this.pings = new SpreadRound(
      options.appPingInterval,
      () => deps.registry.all(),
      (session) => this.ping(session),
      deps.clock,
    );
    // `zenflow token revoke` runs in another process: notice its revocations too.
    this.revocationTimer = deps.clock.setInterval(() => this.sweepRevoked(), REVOCATION_SWEEP_MS);
    this.outboundTimer = deps.clock.setInterval(() => this.dropSlowConsumers(), OUTBOUND_CHECK_MS);
  }

  /**
   * The connect middleware: an address that spent its budget on failed attempts is refused before
   * its token is even looked at, every failure is charged to it, and a connection that keeps
   * failing is closed. A token family holds a bounded number of sockets.
   */
  private async authenticate(socket: ZenFlowServerSocket): Promise<void> {
    const { dispatcher, tokens, registry, options } = this.deps;
    const address = socket.handshake.address;
    const wait = dispatcher.blockedFor(addressKey(address));
    if (wait > 0) throw authError('rate_limited', `auth: too many failed attempts from this address; retry in ${Math.ceil(wait / 1000)} s`);
    // Attempts are counted as they start: verification is asynchronous, so a burst would otherwise all be evaluated.
    const attempts = (this.authAttempts.get(socket.conn) ?? 0) + 1;
    this.authAttempts.set(socket.conn, attempts);
    if (attempts > options.maxAuthFailuresPerConnection) throw authError('rate_limited', 'auth: too many failed attempts on this connection');
    const auth = (socket.handshake.auth ?? {}) as { token?: unknown; permissions?: unknown };
    const result = await tokens.verify(auth.token ?? bearerToken(socket.handshake.headers.authorization));
    if (!result.ok) {
      this.authFailed(socket, attempts);
      throw authError(result.code, result.message);
    }
    this.authAttempts.delete(socket.conn);
    // The bearer token is not kept for the life of the connection once it has been checked.
    socket.handshake.auth = CHECKED;
    // Sockets on one token share one claims object: an idle connection should hold little of its own.
    const claims = registry.sharedClaims(result.claims);
    this.principals.set(socket.conn, claims);
    if (registry.countFamily(claims.family) >= options.maxSocketsPerToken) {
      throw authError('rate_limited', `auth: this token already holds ${options.maxSocketsPerToken} sockets`);
    }
    const requested = Array.isArray(auth.permissions) ? auth.permissions.filter((p): p is string => typeof p === 'string') : undefined;
    socket.data.claims = claims;
    socket.data.scopes = this.shared(effectiveScopes(claims.permissions, requested));
  }

  /** Sessions only read their scopes: those with the same ones share one set. */
  private shared(scopes: Set<Scope>): ReadonlySet<Scope> {
    const key = [...scopes].sort().join(' ');
    const known = this.scopeSets.get(key);
    if (known) return known;
    if (this.scopeSets.size < MAX_SHARED_SCOPE_SETS) this.scopeSets.set(key, scopes);
    return scopes;
  }

  private authFailed(socket: ZenFlowServerSocket, attempts: number): void {
    const address = socket.handshake.address;
    try {
      this.deps.dispatcher.charge(addressKey(address), { label: addressLabel(address) });
    } catch {
      // Past the budget: the next attempt from this address is refused up front.
    }
    const conn = socket.conn;
    // Closed after the refusal has been written, so the client still learns why.
    if (attempts >= this.deps.options.maxAuthFailuresPerConnection) setImmediate(() => conn.close());
  }

  /**
   * Meters a packet before Socket.IO decodes it. A principal already over its allowance, a connection
   * sending more before authenticating than a CONNECT needs, or a frame nested deeper than any
   * command can be, is dropped with the packet unparsed; a principal that goes over with this packet
   * has it parsed, then is not read from for a while.
   */
  private meter(conn: EngineConnection & { id: string }, packet: { data?: unknown }): void {
    const bytes = packetBytes(packet.data) + 1;
    const principal = this.principals.get(conn);
    const key = principal ? familyKey(principal.family) : `conn:${conn.id}`;
    const burst = principal ? undefined : UNAUTHENTICATED_BURST_BYTES;
    const refusal = this.inbound.owes(key)
      ? 'over its inbound byte rate'
      : !principal && bytes > UNAUTHENTICATED_BURST_BYTES
        ? 'too large before authenticating'
        : typeof packet.data === 'string' && nestsDeeperThan(packet.data, this.bounds.maxDepth + 1)
          ? `nested deeper than ${this.bounds.maxDepth} levels`
          : null;
    if (refusal) {
      this.deps.log.warn({ principal: key, bytes, reason: refusal }, 'dropped a connection and its frame, unparsed');
      // The decoder sees an empty packet instead and refuses it; the connection goes.
      packet.data = '';
      dropEngineConnection(conn);
      return;
    }
    const wait = this.inbound.spend(key, bytes, burst);
    if (wait > 0) pauseReading(conn, wait);
  }

  /**
   * Every inbound event, whatever its name (commands, `pong`, unknown ones), is charged to the
   * token's budget and held to the payload bounds before any listener sees it. A command admitted
   * goes straight to the dispatcher: one middleware per socket instead of a listener per command
   * keeps an idle connection small.
   */
  private admit(session: SocketSession, packet: unknown[], next: (err?: Error) => void): void {
    const ack = typeof packet.at(-1) === 'function' ? (packet.at(-1) as (result: unknown) => void) : undefined;
    const refuse = (err: unknown) => {
      const body = err instanceof ProtocolError ? err.toBody() : { code: 'internal' as const, message: 'refused' };
      ack?.({ error: body });
    };
    try {
      this.deps.dispatcher.charge(session.budgetKey, { socketId: session.id, label: session.claims.userId });
    } catch (err) {
      return refuse(err);
    }
    const violation = payloadBoundsViolation(ack ? packet.slice(1, -1) : packet.slice(1), this.bounds);
    if (violation) return refuse(new ProtocolError('invalid_argument', violation));
    const name = packet[0];
    if (typeof name === 'string' && Object.hasOwn(COMMANDS, name)) {
      this.deps.dispatcher.fromSocket(name as CommandName, packet.slice(1), this.contextOf(session)).catch(this.commandFailed);
      return;
    }
    next();
  }

  private readonly commandFailed = (err: unknown): void => this.deps.log.error({ err }, 'socket command failed; the event was dropped');

  private onConnection(socket: ZenFlowServerSocket): void {
    const session = new SocketSession(socket, socket.data.claims as TokenClaims, socket.data.scopes, this.deps.clock, this.batchGroups);
    this.deps.registry.add(session);
    this.deps.onConnectionCount?.(this.deps.registry.size);
    this.announceSession(session);
    this.scheduleAuth(session);
    // One closure per socket (Socket.IO calls middleware without the socket): an idle connection should hold little.
    socket.use((packet, next) => runContained(this.deps.log, 'inbound', () => this.admit(session, packet, next)));
    socket.on('pong', this.onPong);
    socket.on('disconnect', this.onDisconnect);
  }

  private contextOf(session: SocketSession): CommandContext {
    return {
      userId: session.claims.userId,
      tokenId: session.claims.jti,
      principal: session.budgetKey,
      scopes: session.scopes,
      socketId: session.id,
      transport: 'socket',
    };
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
      timestamp: this.deps.clock.now(),
    });
  }

  /** Offers a refresh token before the access token expires, and ends the session when it does. */
  private scheduleAuth(session: SocketSession): void {
    const exp = session.claims.expiresAt;
    this.authDeadlines.cancel(session.authDeadline);
    session.authDeadline = null;
    if (exp === null) return;
    session.authStage = 'offer';
    session.authDeadline = this.authDeadlines.add(session, exp - this.deps.options.refreshLeadSeconds * 1000);
  }

  /** The session's next auth moment has come: offer the refresh (then wait for the expiry), or end it. */
  private authDue(session: SocketSession): void {
    session.authDeadline = null;
    if (!session.socket.connected) return;
    const exp = session.claims.expiresAt;
    if (exp === null) return;
    if (session.authStage === 'expire') return this.endSession(session, 'token_expired', 'auth: token expired');
    const { refreshToken } = this.deps.tokens.createRefreshToken(session.claims);
    session.emit('auth:token:refresh', { refreshToken, expiresAt: exp, timestamp: this.deps.clock.now() });
    session.authStage = 'expire';
    session.authDeadline = this.authDeadlines.add(session, exp);
  }

  private endSession(session: SocketSession, code: string, message: string): void {
    session.emit('auth:error', { code, message, timestamp: this.deps.clock.now() });
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

  /** A requester's sockets may have moved on to a refreshed token: its family finds them. */
  toRequester<E extends 'auth:permissions:granted' | 'auth:permissions:denied'>(tokenJti: string | null, event: E, payload: EventInput<E>): void {
    if (!tokenJti) return;
    // The payload was checked against EventInput<E>; only the timestamp is added.
    const stamped = { ...payload, timestamp: this.deps.clock.now() } as EventPayload<E>;
    for (const s of this.deps.registry.withFamily(this.familyOf(tokenJti))) s.emit(event, stamped);
  }

  isConnected(tokenJti: string): boolean {
    return this.deps.registry.countFamily(this.familyOf(tokenJti)) > 0;
  }

  private familyOf(jti: string): string {
    return this.deps.tokens.get(jti)?.family ?? jti;
  }

  toAdmins(event: 'auth:permissions:requested', payload: EventInput<'auth:permissions:requested'>): void {
    for (const s of this.deps.registry.all()) if (s.scopes.has('admin:system')) s.emit(event, { ...payload, timestamp: this.deps.clock.now() });
  }

  toSocket<E extends ServerEventName>(socketId: string, event: E, payload: EventPayload<E>): void {
    this.deps.registry.get(socketId)?.emit(event, payload);
  }

  /** Application ping (docs/protocol.md §6); an acknowledging client also gives us its round-trip latency. */
  private ping(session: SocketSession): void {
    if (!session.socket.connected) return;
    const sent = performance.now();
    session.socket.timeout(this.deps.options.pingTimeout).emit('ping', { timestamp: this.deps.clock.now() }, (err: Error | null) => {
      if (!err) session.recordLatency(performance.now() - sent);
    });
  }

  /** A socket that does not read its frames may not make the server hold them without bound. */
  private dropSlowConsumers(): void {
    const max = this.deps.options.maxOutboundBufferBytes;
    for (const session of this.deps.registry.all()) {
      const pending = pendingOutboundBytes(session.socket, max);
      if (pending < max) continue;
      this.deps.log.warn({ socketId: session.id, userId: session.claims.userId, pendingBytes: pending, max }, 'slow consumer: dropping a socket that does not read its frames');
      this.deps.onSlowConsumer?.();
      dropConnection(session.socket);
    }
  }

  private sweepRevoked(): void {
    const jtis = new Set([...this.deps.registry.all()].map((s) => s.claims.jti));
    for (const jti of jtis) {
      if (this.deps.tokens.get(jti)?.revokedAt != null) this.endSessions(jti, 'token_revoked', 'auth: token revoked');
    }
  }

  async close(reason = 'server shutting down'): Promise<void> {
    this.pings.stop();
    this.authDeadlines.stop();
    this.deps.clock.clearInterval(this.revocationTimer);
    this.deps.clock.clearInterval(this.outboundTimer);
    for (const s of this.deps.registry.all()) s.emit('server:shutdown', { reason, timestamp: this.deps.clock.now() });
    // Not io.close(): that would also close the HTTP server, which Fastify owns.
    this.io.disconnectSockets(true);
    this.io.engine.close();
  }
}
