import type { Socket } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import pino, { type Logger } from 'pino';
import type { Server as IoServer } from 'socket.io';
import { ProtocolError } from '../../shared/protocol/errors';
import { EventBus } from '../engines/bus';
import { ScaledClock } from '../engines/clock';
import { persistentSimClock } from './sim-clock';
import { createEngines, type Engines } from '../engines';
import { createRandom } from '../engines/random';
import { acquireDataDirLock } from '../store/data-dir-lock';
import { closeDatabase, openDatabase, type Db } from '../store/database';
import { PermissionRequestsRepo } from '../store/permission-requests-repo';
import { openSecretStore, type SecretStore } from '../store/secret-store';
import { errorCode, StartupError } from '../store/startup-error';
import { TokensRepo } from '../store/tokens-repo';
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
import type { CommandHandlers } from './handlers/types';
import { assertBindAllowed, isLoopbackHost, lanUrls } from './network';
import { DESKTOP_ORIGIN, serverOptionsSchema, type ServerOptions, type ServerOptionsInput } from './options';
import { bearerAuthenticator } from './rest/auth';
import { authRoutes } from './rest/auth-routes';
import { docsRoutes } from './rest/docs-routes';
import { engineRoutes } from './rest/engine-routes';
import { acceptEmptyJsonBodies } from './rest/body-parsing';
import { eventRoutes } from './rest/event-routes';
import { registerErrorHandling } from './rest/errors';
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
import { registerTransportSecurity, replaceCertificate, requestScheme, resolveTls, serverFactory, type ServerTls, type TlsState } from './tls/setup';
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
  readonly db: Db;
  readonly tokens: TokenService;
  readonly engines: Engines;
  readonly secretStore: SecretStore;
  readonly log: Logger;
  /** Starts listening and the engines; resolves with the base URL. */
  listen(): Promise<string>;
  readonly url: string | null;
  lanUrls(): string[];
  /** How the port speaks: TLS source and certificate fingerprint, or clear text (PROTOCOL.md §10). */
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
}

/** Builds the whole server without listening (Fastify-style factory); `listen()` opens the port. */
export async function createZenFlowServer(input: ServerOptionsInput = {}, extras: CreateServerExtras = {}): Promise<ZenFlowServer> {
  const options = parseOrThrow(serverOptionsSchema, input);
  assertBindAllowed(options.host, options.lan);
  const log = extras.logger ?? pino({ level: options.logLevel, base: undefined }, pino.destination(2));

  // One writer per data directory: a second server is refused here, naming the holder.
  const lock = acquireDataDirLock(options.dataDir);
  let opened: Db | undefined;
  let secretStore: SecretStore;
  let secret: Uint8Array;
  try {
    secretStore = extras.secretStore ?? (await openSecretStore(options.dataDir, { service: options.keychainService, preferFile: options.secretStore === 'file' }));
    if (options.secretStore === 'keychain' && secretStore.kind !== 'keychain') {
      throw new ProtocolError('unavailable', 'no OS keychain is reachable (--secret-store keychain)');
    }
    opened = openDatabase(join(options.dataDir, 'zenflow.db'), { verify: true });
    ({ secret } = await loadSigningSecret(secretStore));
  } catch (err) {
    if (opened) closeDatabase(opened);
    lock.release();
    throw err;
  }
  const lan = !isLoopbackHost(options.host);
  let tls: ServerTls | null = await resolveTls(options, secretStore, lan);
  const db = opened;
  const tokens = new TokenService(secret, new TokensRepo(db), {
    defaultTtlSeconds: options.tokenTtlSeconds,
    maxTtlSeconds: options.maxTokenTtlSeconds,
    adminToken: options.adminToken,
  });
  const requests = new PermissionRequests(new PermissionRequestsRepo(db), tokens);

  // Engines run on monotonic clocks: wall-clock steps never stall, rush or prune them (PROTOCOL.md §9, issue 9).
  const realClock = new ScaledClock(1);
  const { clock: simClock, stop: stopClockJournal } = persistentSimClock(db, options.simSpeed);
  const bus = new EventBus(() => realClock.now());
  const eventLog = options.eventLog
    ? new EventLog(db, bus, {
        retainEvents: options.logRetainEvents,
        retainMs: options.logRetainHours * 3_600_000,
        cacheEvents: options.logCacheEvents,
        onError: (err, what) => log.error({ err }, what),
      })
    : null;
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
  const budget = new RequestBudget(api.get().rateLimitPerMinute);
  const stopBudgetFollow = api.subscribe((s) => budget.setLimit(s.rateLimitPerMinute));
  const budgetSweep = setInterval(() => budget.sweep(), 60_000).unref();
  const dispatcher = new CommandDispatcher(handlers, {
    budget,
    bus,
    log,
    observer: engines.requestObserver,
    notifySocket: (id, event, payload) => socketServer?.toSocket(id, event, payload),
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
    latestStatus: () => engines.latestStatus(),
    logPosition: eventLog ? () => ({ epoch: eventLog.epoch, seq: eventLog.seq }) : undefined,
    onConnectionCount: (n) => engines.requestObserver.setConnections(n),
    onSlowConsumer: () => metrics.slowConsumers.inc(),
  });
  const sockets = socketServer;
  const pipeline = new DeliveryPipeline(sockets.io, registry, bus);
  const encoder = (sockets.io as unknown as { encoder: Encoder }).encoder;
  const replayer = eventLog && new Replayer(eventLog, pipeline, encoder, { replayLimit: options.replayLimit });
  Object.assign(
    handlers,
    sessionCommands(
      registry,
      (session, channels) => sockets.sendSnapshot(session, channels),
      replayer ? (session, since, hadLive) => replayer.resume(session, since, hadLive) : undefined,
      eventLog ? () => eventLog.seq : undefined,
    ),
    authHandlers(tokens, requests, sockets),
    engineHandlers(engines),
  );

  let url: string | null = null;
  const currentLanUrls = (): string[] => (lan && url ? lanUrls(options.host, Number(new URL(url).port), scheme) : []);
  const identity = {
    mode: extras.mode ?? 'headless',
    version: SERVER_VERSION,
    lan: () => ({ enabled: lan, urls: currentLanUrls(), clients: registry.size }),
    tls: tlsState,
  } as const;
  const metrics = createMetrics({ sockets: () => registry.size, delivered: () => pipeline.delivered });
  const routes: RouteDef[] = [];
  routes.push(...authRoutes(tokens, requests, dispatcher, identity), ...engineRoutes(engines, dispatcher), ...(eventLog ? eventRoutes(eventLog) : []), metrics.route, ...docsRoutes(() => routes, SERVER_VERSION));
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
        return reply
          .code(204)
          .header('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE')
          .header('Access-Control-Allow-Headers', 'Authorization, Content-Type')
          .send();
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
  registerRoutes(app, routes, bearerAuthenticator(tokens, dispatcher));
  // Upgraded (WebSocket) connections leave the HTTP server's own bookkeeping, so close() tracks every one itself.
  const connections = new Set<Socket>();
  app.server.on('connection', (socket: Socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
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
      const address = await app.listen({ host: options.host, port: options.port }).catch((err: unknown) => {
        throw listenError(err, options.host, options.port);
      });
      const { port } = new URL(address);
      const host = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
      url = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
      await engines.start();
      if (lan) log.warn({ urls: server.lanUrls() }, 'LAN EXPOSURE ENABLED: this server accepts connections from other machines');
      if (tls) log.info({ source: tls.source, fingerprint: tls.credentials.fingerprint }, 'TLS on: HTTPS and WSS only');
      if (lan && !tls) log.warn({ urls: server.lanUrls() }, 'INSECURE: serving the LAN in CLEAR TEXT (--insecure-http): tokens, pairing codes and every event can be read and stolen on this network');
      return url;
    },
    localAdminToken() {
      localToken ??= (async () => {
        for (const earlier of tokens.activeOfKind(LOCAL_ADMIN_KIND, LOCAL_ADMIN_USER)) tokens.revoke(earlier.jti);
        const ttlSeconds = Math.min(LOCAL_ADMIN_TTL_SECONDS, tokens.maxTtlSeconds);
        return (await tokens.issue({ permissions: ['*'], ttlSeconds, userId: LOCAL_ADMIN_USER, kind: LOCAL_ADMIN_KIND })).token;
      })();
      return localToken;
    },
    async close() {
      if (closed) return;
      closed = true;
      stopBudgetFollow();
      clearInterval(budgetSweep);
      try {
        await engines.stop();
        stopClockJournal();
        eventLog?.close();
        pipeline.close();
        await sockets.close();
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
        closeDatabase(db);
      } finally {
        lock.release();
      }
    },
  };
  return server;
}

/** A failed bind names the address and the cause; the code stays so callers can pick another port. */
function listenError(err: unknown, host: string, port: number): unknown {
  const code = errorCode(err);
  const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (code === 'EADDRINUSE') return new StartupError(address, 'the port is already in use by another process', 'Stop that process or pick another --port (0 picks a free one).', code);
  if (code === 'EACCES') return new StartupError(address, 'permission denied to bind this port (EACCES)', 'Ports below 1024 need privileges: pick another --port.', code);
  if (code === 'EADDRNOTAVAIL') return new StartupError(address, 'this address is not on any interface of this machine (EADDRNOTAVAIL)', 'Pick another --host.', code);
  return err;
}
