import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { DEFAULT_TASK_ATTEMPTS } from '../engines/swarm/swarm-engine';
import { KEYCHAIN_SERVICE } from '../store/secret-store';

/** Every server limit and setting as a plain option (Fastify style); defaults follow docs/protocol.md. */
export const serverOptionsSchema = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65_535).default(3456),
  /** Binding a non-loopback address requires this opt-in. */
  lan: z.boolean().default(false),
  dataDir: z.string().min(1).default(join(homedir(), '.zenflow')),
  seed: z.union([z.string(), z.number()]).default('zenflow'),
  simSpeed: z.number().gt(0).max(10_000).default(1),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  compression: z.boolean().default(false),
  maxHttpBufferSize: z.number().int().min(1024).default(1_000_000),
  pingInterval: z.number().int().min(100).default(25_000),
  pingTimeout: z.number().int().min(100).default(20_000),
  /** Application-level `ping` to each socket (docs/protocol.md §6). */
  appPingInterval: z.number().int().min(100).default(10_000),
  /** Origins besides the server's own that browsers may connect from (the desktop renderer's is built in). */
  allowedOrigins: z.array(z.string()).default([]),
  /** Host names besides IP literals and localhost that the Host header may carry (DNS-rebinding guard). */
  allowedHosts: z.array(z.string()).default([]),
  tokenTtlSeconds: z.number().int().min(1).default(3600),
  /** Ceiling on the lifetime of any token minted or refreshed here. */
  maxTokenTtlSeconds: z
    .number()
    .int()
    .min(1)
    .default(30 * 86_400),
  /** How long before expiry the server offers a refresh token. */
  refreshLeadSeconds: z.number().min(0.1).default(60),
  /** Where the built web UI lives; null serves none. */
  webRoot: z.string().nullable().default(null),
  secretStore: z.enum(['auto', 'keychain', 'file']).default('auto'),
  keychainService: z.string().default(KEYCHAIN_SERVICE),
  /** ZENFLOW_ADMIN_TOKEN: an opaque admin token with every permission, for automation. */
  adminToken: z.string().min(16).optional(),
  /** Inbound payload shape bounds, checked before any event is used or echoed. */
  payloadMaxDepth: z.number().int().min(2).max(1000).default(32),
  payloadMaxNodes: z.number().int().min(10).default(20_000),
  /** A socket whose unsent frames exceed this is a slow consumer and is disconnected. */
  maxOutboundBufferBytes: z
    .number()
    .int()
    .min(64 * 1024)
    .default(8 * 1024 * 1024),
  /** Inbound bytes a token family (or an unauthenticated connection) may send per second, with a burst of 4× (at least 4 frames); past it the server stops reading from it for a while. */
  maxInboundBytesPerSecond: z.number().int().min(1024).default(1_000_000),
  /** Open TCP connections one remote address may hold (HTTP, polling and WebSocket alike). */
  maxConnectionsPerAddress: z.number().int().min(1).default(64),
  /** New TCP connections one remote address may open per second, sustained; bursts of 5× pass. */
  maxNewConnectionsPerSecond: z.number().int().min(1).default(20),
  /** Live sockets one token family may hold. */
  maxSocketsPerToken: z.number().int().min(1).default(64),
  /** Failed authentications one Engine.IO connection may make before it is closed. */
  maxAuthFailuresPerConnection: z.number().int().min(1).default(5),
  /** Time a client has to send a whole HTTP request (slow bodies), and its headers. */
  requestTimeoutMs: z.number().int().min(1000).default(30_000),
  headersTimeoutMs: z.number().int().min(1000).default(10_000),
  /** Hard limit on one code analysis; the worker that ran over is replaced. */
  analysisTimeoutMs: z.number().int().min(100).default(10_000),
  /** Runs a task gets when server stops keep interrupting it; then it ends as failed with the reason. */
  taskAttempts: z.number().int().min(1).max(1000).default(DEFAULT_TASK_ATTEMPTS),
  /** PEM certificate (chain) and private key files: HTTPS and WSS on the same port (docs/protocol.md §11); both or neither. */
  tlsCertFile: z.string().min(1).optional(),
  tlsKeyFile: z.string().min(1).optional(),
  /**
   * A self-signed certificate made once and kept in the secret store. Unset: on whenever the bind
   * reaches beyond loopback without certificate files or `insecureHttp`; true forces it (tests on loopback).
   */
  autoTls: z.boolean().optional(),
  /** The only way to serve a non-loopback bind in clear text; logged loudly and shown in the UI. */
  insecureHttp: z.boolean().default(false),
  /** Believe X-Forwarded-For/-Proto (a reverse proxy in front); off unless told. */
  trustProxy: z.boolean().default(false),
  /** The event log (docs/protocol.md §10). Off: no seq, no resume, no /api/events — only for measuring what the log costs. */
  eventLog: z.boolean().default(true),
  /** Event log retention (docs/protocol.md §10): at least this many of the newest events… */
  logRetainEvents: z.number().int().min(0).default(100_000),
  /** …and every event younger than this many hours, whichever keeps more. */
  logRetainHours: z.number().min(0).default(24),
  /** Newest events held in memory for replays. */
  logCacheEvents: z.number().int().min(0).default(20_000),
  /** Most events one resume replays; a longer gap is answered `recovered: false` ('expired'). */
  replayLimit: z.number().int().min(1).default(50_000),
  /** Cluster mode (docs/protocol.md §12): the Redis every node shares; unset runs one process, as before. */
  redisUrl: z
    .string()
    .regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL')
    .optional(),
  /** With `redisUrl`: the core runs the engines and the store, edges serve clients. */
  role: z.enum(['core', 'edge']).optional(),
  /** ZENFLOW_SIGNING_SECRET: the token signing secret every cluster node shares (in place of the secret store's). */
  signingSecret: z.string().min(32).optional(),
  /** How long an edge waits for the core's answer to a forwarded command before answering `unavailable`. */
  clusterCommandTimeoutMs: z.number().int().min(100).default(30_000),
  /** Disable the host samplers and periodic engines (tests that want silence). */
  engines: z.boolean().default(true),
});

export type ServerOptions = z.output<typeof serverOptionsSchema>;
export type ServerOptionsInput = z.input<typeof serverOptionsSchema>;

/** The desktop renderer's origin (custom `app:` scheme registered by the Electron shell). */
export const DESKTOP_ORIGIN = 'app://zenflow';
