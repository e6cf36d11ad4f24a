import type { Socket } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import pino, { type Logger } from 'pino';
import type { Server as IoServer } from 'socket.io';
import { ProtocolError } from '../../shared/protocol/errors';
import { EventBus } from '../engines/bus';
import { ScaledClock, type Clock } from '../engines/clock';
import { persistentSimClock } from './sim-clock';
import { createEngines, type Engines } from '../engines';
import { createRandom } from '../engines/random';
import { acquireDataDirLock } from '../store/data-dir-lock';
import { closeDatabase, type Db } from '../store/database';
import { openAppDatabase } from '../engines/migrations';
import { GroupCommit } from '../store/group-commit';
import { PermissionRequestsRepo } from '../store/permission-requests-repo';
import { openSecretStore, type SecretStore } from '../store/secret-store';
import { errorCode, StartupError } from '../store/startup-error';
import { TokensRepo } from '../store/tokens-repo';
import { forwardedHandlers, forwardRest } from './cluster/edge-forwarding';
import { ClusterNode } from './cluster/node';
import { PermissionRequests } from './auth/permission-requests';
import { loadSigningSecret } from './auth/signing-secret';
import { TokenService } from './auth/token-service';
import { DeliveryPipeline } from './delivery/pipeline';
import { EventLog } from './log/event-log';
import { Replayer, type Encoder } from './log/replay';
import { SessionRegistry } from './delivery/registry';
import { CommandDispatcher } from './dispatcher';
import { authHandlers } from './handlers/auth';
import { engineHandlers } from './handlers';
import type { AllCommandHandlers, CommandHandlers } from './handlers/types';
import { assertBindAllowed, isLoopbackHost, lanUrls } from './network';
import { DESKTOP_ORIGIN, serverOptionsSchema, type ServerOptions, type ServerOptionsInput } from './options';
import { bearerAuthenticator } from './rest/rest-authentication';
import { authRoutes } from './rest/auth-routes';
import { docsRoutes } from './rest/docs-routes';
import { engineRoutes } from './rest/engine-routes';
import { acceptEmptyJsonBodies } from './rest/body-parsing';
import { eventRoutes } from './rest/event-routes';
import { registerErrorHandling } from './rest/error-handling';
import { createMetrics } from './rest/metrics-route';
import { pairingRoutes, type PairingHook } from './rest/pairing-routes';
import { registerRoutes, type RouteDef } from './rest/route';
import { registerStaticUi } from './rest/static-ui';
import { limitConnectionsPerAddress } from './security/connection-limits';
import { checkRequest } from './security/origin';
import { RequestBudget } from './security/request-budget';
import { sessionCommands } from './socket/session-commands';
import { SocketServer } from './socket/socket-server';
import { readTlsFiles } from './tls/certificate';
import { registerTransportSecurity, replaceCertificate, requestScheme, resolveTls, serverFactory, type ServerTls, type TlsState } from './tls/tls-setup';
import { parseOrThrow } from './validation';

export const SERVER_VERSION = '0.1.0';
/** The local UI token: minted once per start (the previous start's is revoked), so a printed URL stops working with its process. */
const LOCAL_ADMIN_USER = 'local-admin';
const LOCAL_ADMIN_KIND = 'ui';
const LOCAL_ADMIN_TTL_SECONDS = 7 * 86_400;
/** How long a stop waits for clients to take their last frames before their connections are cut. */
const SHUTDOWN_GRACE_MS = 1000;

export interface ZenFlowServer {
  readonly options: ServerOptions;
  readonly app: FastifyInstance;
  readonly io: IoServer;
  readonly bus: EventBus;
  /** Null only with `eventLog: false` (benchmarks measuring the log's cost). */
  readonly eventLog: EventLog | null;
  /** Cluster mode (docs/protocol.md §12): this node's role and links; null on a single node. */
  readonly cluster: ClusterNode | null;
  readonly db: Db;
  readonly tokens: TokenService;
  readonly engines: Engines;
  readonly secretStore: SecretStore;
  readonly log: Logger;
  /** Starts listening and the engines; resolves with the base URL. */
  listen(): Promise<string>;
  readonly url: string | null;
  lanUrls(): string[];
  /** How the port speaks: TLS source and certificate fingerprint, or clear text (docs/protocol.md §11). */
  tlsState(): TlsState;
  /** Re-reads `tlsCertFile`/`tlsKeyFile` (SIGHUP) and serves the new certificate to new connections. */
  reloadTls(): Promise<TlsState>;
  /** The admin token for opening the UI on this machine: one per start, earlier starts' revoked. */
  localAdminToken(): Promise<string>;
  close(): Promise<void>;
}

export interface CreateServerExtras {
  mode?: 'desktop' | 'headless';
  /** Tests and the desktop app may supply their own secret store. */
  secretStore?: SecretStore;
  logger?: Logger;
  /** LAN device pairing (`POST /api/pair`), offered only when given. */
  pairing?: PairingHook;
  /**
   * The server's time (now and timers): request budgets, token expiry, per-socket coalescing, batching
   * and reports, pings and sweeps, event timestamps and the engines' real-time work. Tests pass a
   * ManualClock. Default: real time on a monotonic clock, with token and request moments read from the
   * wall clock, since other processes (`zenflow token`) read and write them too.
   */
  clock?: Clock;
}

/** Builds the whole server without listening (Fastify-style factory); `listen()` opens the port. */
export async function createZenFlowServer(input: ServerOptionsInput = {}, extras: CreateServerExtras = {}): Promise<ZenFlowServer> {
  const options = parseOrThrow(serverOptionsSchema, input);
  assertBindAllowed(options.host, options.lan);
  assertClusterOptions(options);
  const edge = options.role === 'edge';
  const log = extras.logger ?? pino({ level: options.logLevel, base: undefined }, pino.destination(2));
  const realClock = extras.clock ?? new ScaledClock(1);
  const wallNow = extras.clock ? () => realClock.now() : Date.now;

  // One writer per data directory: a second server is refused here, naming the holder.
  const lock = acquireDataDirLock(options.dataDir);
  let opened: Db | undefined;
  let secretStore: SecretStore;
  let secret: Uint8Array;
  let cluster: ClusterNode | null;
  const lan = !isLoopbackHost(options.host);
  let tls: ServerTls | null;
  try {
    secretStore = extras.secretStore ?? (await openSecretStore(options.dataDir, { service: options.keychainService, preferFile: options.secretStore === 'file' }));
    if (options.secretStore === 'keychain' && secretStore.kind !== 'keychain') {
      throw new ProtocolError('unavailable', 'no OS keychain is reachable (--secret-store keychain)');
    }
    // Settled before the database opens: a refused flag must not leave the store as if it had crashed.
    tls = await resolveTls(options, secretStore, lan);
    opened = openAppDatabase(join(options.dataDir, 'zenflow.db'), { verify: true });
    ({ secret } = options.signingSecret ? { secret: Buffer.from(options.signingSecret, 'utf8') } : await loadSigningSecret(secretStore));
    cluster = options.redisUrl ? await ClusterNode.connect(options.redisUrl, options.role!, opened, log) : null;
  } catch (err) {
    if (opened) closeDatabase(opened);
    lock.release();
    throw err;
  }
  const db = opened;
  const tokens = new TokenService(secret, cluster?.tokens ?? new TokensRepo(db), {
    defaultTtlSeconds: options.tokenTtlSeconds,
    maxTtlSeconds: options.maxTokenTtlSeconds,
    adminToken: options.adminToken,
    shared: cluster?.tokens,
    now: wallNow,
  });
  await cluster?.tokens.start((jtis) => tokens.revokedElsewhere(jtis));
  const requests = new PermissionRequests(new PermissionRequestsRepo(db), tokens, wallNow);

  // Engines run on monotonic clocks: wall-clock steps never stall, rush or prune them (docs/protocol.md §10).
  const { clock: simClock, stop: stopClockJournal } = persistentSimClock(db, options.simSpeed);
  const bus = new EventBus(() => realClock.now());
  // An edge runs no log of its own: it follows the core's through Redis.
  const eventLog =
    options.eventLog && !edge
      ? new EventLog(db, bus, {
          retainEvents: options.logRetainEvents,
          retainMs: options.logRetainHours * 3_600_000,
          cacheEvents: options.logCacheEvents,
          onError: (err, what) => log.error({ err }, what),
        })
      : null;
  const streamLog = cluster && edge ? cluster.edgeLog(bus, options.logCacheEvents) : null;
  const logReader = eventLog ?? streamLog;
  const coreLink = cluster && edge ? cluster.edgeLink(options.clusterCommandTimeoutMs) : null;
  const engines = createEngines(
    { bus, db, clock: simClock, realClock, random: createRandom(options.seed), log: log.child({ component: 'engines' }) },
    // CSV training reads any file by path on this machine (and quotes bad cells back): only the desktop
    // app's own user may ask for that, so never while the server is exposed to the LAN.
    {
      dataDir: options.dataDir,
      periodic: options.engines,
      analysisTimeoutMs: options.analysisTimeoutMs,
      taskAttempts: options.taskAttempts,
      allowCsv: extras.mode === 'desktop' && isLoopbackHost(options.host),
    },
  );

  const app = Fastify({
    logger: false,
    bodyLimit: options.maxHttpBufferSize,
    forceCloseConnections: true,
    // A client has this long to send its headers and its whole request, so slow clients cannot hold
    // connections open; Node checks these every `connectionsCheckingInterval`.
    requestTimeout: options.requestTimeoutMs,
    trustProxy: options.trustProxy,
    serverFactory: serverFactory(tls, {
      headersTimeout: options.headersTimeoutMs,
      requestTimeout: options.requestTimeoutMs,
      connectionsCheckingInterval: 1000,
      maxHeaderSize: 16 * 1024,
    }),
    // Errors Fastify raises before routing (a malformed URL, an over-long parameter) get the §4 envelope too.
    frameworkErrors: (error, _req, res) => {
      const reply = res as unknown as FastifyReply;
      void reply.code(error.statusCode && error.statusCode < 500 ? error.statusCode : 400).send({ error: { code: 'invalid_argument', message: error.message } });
    },
  });
  const registry = new SessionRegistry();
  const handlers: CommandHandlers = {};
  let socketServer: SocketServer | null = null;
  // The per-client request budget follows the `api.rateLimitPerMinute` setting live.
  const api = engines.config.source('api');
  const budget = new RequestBudget(api.get().rateLimitPerMinute, 60_000, wallNow);
  const stopBudgetFollow = api.subscribe((s) => budget.setLimit(s.rateLimitPerMinute));
  const budgetSweep = realClock.setInterval(() => budget.sweep(), 60_000);
  const groupCommit = new GroupCommit(db, `${join(options.dataDir, 'zenflow.db')}-wal`);
  const dispatcher = new CommandDispatcher(handlers, {
    budget,
    bus,
    log,
    observer: engines.requestObserver,
    notifySocket: (id, event, payload) => socketServer?.toSocket(id, event, payload),
    groupCommit,
  });

  const scheme = tls ? 'https' : 'http';
  const tlsState = (): TlsState => ({
    enabled: tls !== null,
    source: tls?.source ?? null,
    fingerprint: tls?.credentials.fingerprint ?? null,
    insecureLan: lan && tls === null,
  });
  const allowedHosts = [...options.allowedHosts];
  if (lan) allowedHosts.push(hostname(), `${hostname()}.local`);
  const policy = { allowedHosts, allowedOrigins: [DESKTOP_ORIGIN, ...options.allowedOrigins] };
  socketServer = new SocketServer(app.server, {
    options,
    tokens,
    registry,
    dispatcher,
    clock: realClock,
    log,
    policy,
    latestStatus: () => (streamLog ? streamLog.latestStatus : engines.latestStatus()),
    logPosition: logReader ? () => ({ epoch: logReader.epoch, seq: logReader.seq }) : undefined,
    onConnectionCount: (n) => engines.requestObserver.setConnections(n),
    onSlowConsumer: () => metrics.slowConsumers.inc(),
  });
  const sockets = socketServer;
  const pipeline = new DeliveryPipeline(sockets.io, registry, bus);
  const encoder = (sockets.io as unknown as { encoder: Encoder }).encoder;
  const replayer = logReader && new Replayer(logReader, pipeline, encoder, { replayLimit: options.replayLimit });
  Object.assign(handlers, {
    ...sessionCommands(
      registry,
      (session, channels) => sockets.sendSnapshot(session, channels),
      replayer ? (session, since, hadLive) => replayer.resume(session, since, hadLive) : undefined,
      logReader ? () => logReader.seq : undefined,
    ),
    ...authHandlers(tokens, requests, cluster ? cluster.notifier(sockets) : sockets),
    // An edge's engines never start: everything they would answer comes from the core.
    ...(coreLink && streamLog ? forwardedHandlers(coreLink, streamLog) : engineHandlers(engines)),
  } satisfies AllCommandHandlers);

  let url: string | null = null;
  const currentLanUrls = (): string[] => (lan && url ? lanUrls(options.host, Number(new URL(url).port), scheme) : []);
  const identity = {
    mode: extras.mode ?? 'headless',
    version: SERVER_VERSION,
    lan: () => ({ enabled: lan, urls: currentLanUrls(), clients: registry.size }),
    tls: tlsState,
    cluster: cluster ? () => cluster.status() : undefined,
  } as const;
  const metrics = createMetrics({ sockets: () => registry.size, delivered: () => pipeline.delivered, cluster: cluster ? () => cluster.status() : undefined });
  const routes: RouteDef[] = [];
  // On an edge, permission requests live on the core: those routes are forwarded with the engines',
  // and so are the API descriptions, which the core has whole.
  const ownAuthRoutes = authRoutes(tokens, requests, dispatcher, identity).filter((r) => !edge || !r.url.startsWith('/api/auth/requests'));
  routes.push(...ownAuthRoutes, ...(edge ? [] : engineRoutes(engines, dispatcher)), ...(logReader ? eventRoutes(logReader) : []), metrics.route);
  if (!edge) routes.push(...docsRoutes(() => routes, SERVER_VERSION));
  if (extras.pairing) routes.push(...pairingRoutes(tokens, extras.pairing, dispatcher));

  limitConnectionsPerAddress(app.server, { maxOpen: options.maxConnectionsPerAddress, perSecond: options.maxNewConnectionsPerSecond }, log);
  acceptEmptyJsonBodies(app);
  registerErrorHandling(app, log);
  app.addHook('onRequest', async (req, reply) => {
    const check = checkRequest({ host: req.headers.host, origin: req.headers.origin }, policy, requestScheme(req.raw, options.trustProxy));
    if (!check.ok) return reply.code(403).send({ error: { code: 'forbidden', message: check.reason } });
    const origin = req.headers.origin;
    if (origin && policy.allowedOrigins.includes(origin)) {
      void reply.header('Access-Control-Allow-Origin', origin).header('Vary', 'Origin');
      if (req.method === 'OPTIONS') {
        return reply.code(204).header('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE').header('Access-Control-Allow-Headers', 'Authorization, Content-Type').send();
      }
    }
    return undefined;
  });
  app.addHook('onResponse', async (req, reply) => {
    const endpoint = req.routeOptions.url ?? 'unmatched';
    if (!endpoint.startsWith('/api') && endpoint !== '/metrics') return;
    engines.requestObserver?.recordRequest({ endpoint, method: req.method, status: reply.statusCode, durationMs: reply.elapsedTime });
    metrics.requests.inc({ endpoint, status: String(reply.statusCode) });
  });
  registerTransportSecurity(app, options.trustProxy);
  const authenticate = bearerAuthenticator(tokens, dispatcher);
  registerRoutes(app, routes, authenticate);
  if (coreLink && streamLog) forwardRest(app, authenticate, coreLink, streamLog);
  // Upgraded (WebSocket) connections leave the HTTP server's own bookkeeping, so close() tracks every one itself.
  // One listener shared by every socket (called with it as `this`): an idle connection holds no closure of its own.
  const connections = new Set<Socket>();
  function forget(this: Socket): void {
    connections.delete(this);
  }
  app.server.on('connection', (socket: Socket) => {
    connections.add(socket);
    socket.on('close', forget);
  });
  await registerStaticUi(app, options.webRoot).catch((err: unknown) => {
    closeDatabase(db);
    lock.release();
    throw err;
  });

  let closed = false;
  let localToken: Promise<string> | null = null;
  const server: ZenFlowServer = {
    options,
    app,
    io: sockets.io,
    bus,
    eventLog,
    cluster,
    db,
    tokens,
    engines,
    secretStore,
    log,
    get url() {
      return url;
    },
    lanUrls: currentLanUrls,
    tlsState,
    async reloadTls() {
      if (tls?.source !== 'files') throw new ProtocolError('conflict', 'only certificate files (--tls-cert/--tls-key) are reloaded');
      const credentials = await readTlsFiles(options.tlsCertFile!, options.tlsKeyFile!);
      replaceCertificate(app.server, credentials);
      tls = { ...tls, credentials };
      log.info({ fingerprint: credentials.fingerprint }, 'TLS certificate reloaded');
      return tlsState();
    },
    async listen() {
      // An edge knows where the log stands before its first client asks.
      if (cluster && edge) await cluster.startEdge();
      const address = await app.listen({ host: options.host, port: options.port }).catch((err: unknown) => {
        throw listenError(err, options.host, options.port);
      });
      const { port } = new URL(address);
      const host = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
      url = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
      if (!edge) {
        await engines.start();
        if (cluster && eventLog) await cluster.startCore({ eventLog, bus, dispatcher, app, observer: engines.requestObserver });
      }
      if (lan) log.warn({ urls: server.lanUrls() }, 'LAN EXPOSURE ENABLED: this server accepts connections from other machines');
      if (tls) log.info({ source: tls.source, fingerprint: tls.credentials.fingerprint }, 'TLS on: HTTPS and WSS only');
      if (lan && !tls)
        log.warn(
          { urls: server.lanUrls() },
          'INSECURE: serving the LAN in CLEAR TEXT (--insecure-http): tokens, pairing codes and every event can be read and stolen on this network',
        );
      return url;
    },
    localAdminToken() {
      localToken ??= (async () => {
        // Cluster nodes share token records: each node replaces only its own earlier UI tokens.
        const userId = cluster && url ? `${LOCAL_ADMIN_USER}@${hostname()}:${new URL(url).port}` : LOCAL_ADMIN_USER;
        for (const earlier of tokens.activeOfKind(LOCAL_ADMIN_KIND, userId)) tokens.revoke(earlier.jti);
        const ttlSeconds = Math.min(LOCAL_ADMIN_TTL_SECONDS, tokens.maxTtlSeconds);
        return (await tokens.issue({ permissions: ['*'], ttlSeconds, userId, kind: LOCAL_ADMIN_KIND })).token;
      })();
      return localToken;
    },
    async close() {
      if (closed) return;
      closed = true;
      stopBudgetFollow();
      realClock.clearInterval(budgetSweep);
      try {
        await engines.stop();
        stopClockJournal();
        eventLog?.close();
        pipeline.close();
        await sockets.close();
        await cluster?.close();
        // A client that stops reading never answers the close handshake and would hold its connection
        // (and so app.close()) for ws's 30 s: after a short grace every connection left is cut.
        const cut = setTimeout(() => {
          for (const socket of connections) socket.destroy();
        }, SHUTDOWN_GRACE_MS);
        try {
          await app.close();
        } finally {
          clearTimeout(cut);
        }
        await groupCommit.close();
        closeDatabase(db);
      } finally {
        lock.release();
      }
    },
  };
  return server;
}

/** Cluster mode needs Redis, a role and the shared signing secret together (docs/protocol.md §12). */
function assertClusterOptions(options: ServerOptions): void {
  const problem =
    options.redisUrl && !options.role
      ? '--redis needs --role core or --role edge'
      : options.role && !options.redisUrl
        ? `--role ${options.role} needs --redis URL`
        : options.redisUrl && !options.signingSecret
          ? 'cluster mode needs the shared signing secret in ZENFLOW_SIGNING_SECRET (at least 32 characters) on every node'
          : options.role === 'edge' && !options.eventLog
            ? 'an edge needs the event log'
            : null;
  if (problem) throw new ProtocolError('invalid_argument', problem);
}

/** A failed bind names the address and the cause; the code stays so callers can pick another port. */
function listenError(err: unknown, host: string, port: number): unknown {
  const code = errorCode(err);
  const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (code === 'EADDRINUSE')
    return new StartupError(address, 'the port is already in use by another process', 'Stop that process or pick another --port (0 picks a free one).', code);
  if (code === 'EACCES') return new StartupError(address, 'permission denied to bind this port (EACCES)', 'Ports below 1024 need privileges: pick another --port.', code);
  if (code === 'EADDRNOTAVAIL') return new StartupError(address, 'this address is not on any interface of this machine (EADDRNOTAVAIL)', 'Pick another --host.', code);
  return err;
}
