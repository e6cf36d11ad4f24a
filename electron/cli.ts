#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ttlSchema } from '../shared/protocol/commands';
import { ProtocolError } from '../shared/protocol/errors';
import { DEFAULT_TASK_ATTEMPTS } from './engines/swarm/swarm-engine';
import { createZenFlowServer, SERVER_VERSION } from './server/app';
import { backupDatabase, DB_FILE, restoreDatabase } from './store/backup';
import { FileSecretStore } from './store/secret-store';
import { openTokenAdmin } from './server/auth/token-admin';
import { tlsBanner } from './server/tls/banner';

/** Headless entry: `zenflow serve` and `zenflow token …`. */

function webRoot(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  // From source (electron/) the build is ../out/renderer; from the bundle (out/main/) it is ../renderer. Never the unbuilt source.
  return [join(here, '..', 'out', 'renderer'), join(here, '..', 'renderer')].find((p) => existsSync(join(p, 'index.html')) && existsSync(join(p, 'assets'))) ?? null;
}

const int = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`${name} must be an integer`);
  return n;
};
const positive = (name: string) => (v: string) => {
  const n = Number(v);
  if (!(n > 0)) throw new InvalidArgumentError(`${name} must be a positive number`);
  return n;
};
interface ServeFlags {
  host: string;
  port: number;
  dataDir: string;
  seed: string;
  simSpeed: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  lan: boolean;
  compression: boolean;
  maxHttpBufferSize: number;
  allowOrigin: string[];
  allowHost: string[];
  secretStore: 'auto' | 'keychain' | 'file';
  keychainService: string;
  taskAttempts: number;
  maxConnectionsPerAddress: number;
  maxNewConnectionsPerSecond: number;
  maxSocketsPerToken: number;
  tlsCert?: string;
  tlsKey?: string;
  insecureHttp: boolean;
  trustProxy: boolean;
  logRetainEvents: number;
  logRetainHours: number;
  redis?: string;
  role?: 'core' | 'edge';
}

const positiveInt = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a positive integer`);
  return n;
};
const SHUTDOWN_BACKSTOP_MS = 5000;

const defaultDataDir = () => join(process.env.HOME ?? process.cwd(), '.zenflow');

const program = new Command('zenflow').description('Zen Flow real-time server and tools').version(SERVER_VERSION);

program
  .command('serve')
  .description('run the Zen Flow server headless and serve the web UI')
  .option('--host <address>', 'bind address (loopback unless --lan)', '127.0.0.1')
  .option('--port <n>', 'port (0 picks a free one)', int('port'), 3456)
  .option('--data-dir <dir>', 'data directory', defaultDataDir())
  .option('--seed <seed>', 'seed for the simulated engines', 'zenflow')
  .option('--sim-speed <x>', 'simulated-time multiplier for the simulated engines', positive('sim-speed'), 1)
  .addOption(new Option('--log-level <level>', 'log level').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'))
  .option('--lan', 'allow binding a non-loopback address (exposes the server to the network)', false)
  .option('--compression', 'per-message deflate for frames over 1 KiB (slow remote links)', false)
  .option('--max-http-buffer-size <bytes>', 'largest accepted message', int('max-http-buffer-size'), 1_000_000)
  .option('--allow-origin <origin...>', 'extra browser origins allowed to connect', [])
  .option('--allow-host <name...>', 'extra Host names accepted (DNS-rebinding guard)', [])
  .option('--log-retain-events <n>', 'event log: keep at least this many newest events', int('log-retain-events'), 100_000)
  .option('--log-retain-hours <h>', 'event log: and every event younger than this (whichever keeps more)', positive('log-retain-hours'), 24)
  .addOption(new Option('--secret-store <kind>', 'where the signing secret lives').choices(['auto', 'keychain', 'file']).default('auto'))
  .addOption(new Option('--keychain-service <name>', 'keychain service name').default('zenflow-control-center').hideHelp())
  .option('--task-attempts <n>', 'runs a task gets when server stops keep interrupting it; then it fails', positiveInt('task-attempts'), DEFAULT_TASK_ATTEMPTS)
  .option('--max-connections-per-address <n>', 'open TCP connections one address may hold', positiveInt('max-connections-per-address'), 64)
  .option('--max-new-connections-per-second <n>', 'new TCP connections one address may open per second (bursts of 5x)', positiveInt('max-new-connections-per-second'), 20)
  .option('--max-sockets-per-token <n>', 'live sockets one token family may hold', positiveInt('max-sockets-per-token'), 64)
  .option('--tls-cert <file>', 'PEM certificate (chain): serve HTTPS and WSS on the port; reloaded on SIGHUP')
  .option('--tls-key <file>', 'PEM private key of --tls-cert')
  .option('--insecure-http', 'serve a LAN bind in clear text instead of with a self-signed certificate (unsafe)', false)
  .option('--trust-proxy', 'believe X-Forwarded-For/-Proto from a reverse proxy in front of this port', false)
  .option('--redis <url>', 'cluster mode: the Redis all nodes share (redis://host:6379); needs --role and ZENFLOW_SIGNING_SECRET')
  .addOption(new Option('--role <role>', 'cluster mode: core runs the engines and the store; edges serve clients').choices(['core', 'edge']))
  .action(async (opts: ServeFlags) => {
    const server = await createZenFlowServer(
      {
        host: opts.host,
        port: opts.port,
        dataDir: resolve(opts.dataDir),
        seed: opts.seed,
        simSpeed: opts.simSpeed,
        logLevel: opts.logLevel,
        lan: opts.lan,
        compression: opts.compression,
        maxHttpBufferSize: opts.maxHttpBufferSize,
        allowedOrigins: opts.allowOrigin,
        allowedHosts: opts.allowHost,
        secretStore: opts.secretStore,
        keychainService: opts.keychainService,
        taskAttempts: opts.taskAttempts,
        maxConnectionsPerAddress: opts.maxConnectionsPerAddress,
        maxNewConnectionsPerSecond: opts.maxNewConnectionsPerSecond,
        maxSocketsPerToken: opts.maxSocketsPerToken,
        tlsCertFile: opts.tlsCert && resolve(opts.tlsCert),
        tlsKeyFile: opts.tlsKey && resolve(opts.tlsKey),
        insecureHttp: opts.insecureHttp,
        trustProxy: opts.trustProxy,
        logRetainEvents: opts.logRetainEvents,
        logRetainHours: opts.logRetainHours,
        adminToken: process.env.ZENFLOW_ADMIN_TOKEN || undefined,
        redisUrl: opts.redis,
        role: opts.role,
        signingSecret: process.env.ZENFLOW_SIGNING_SECRET || undefined,
        webRoot: webRoot(),
      },
      { mode: 'headless' },
    );
    // Stoppable before anything is printed: whoever reads the URL may signal at once.
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) process.exit(1);
      stopping = true;
      server.log.info({ signal }, 'shutting down');
      // The close cuts slow clients after a grace; this is the backstop should anything else hang.
      setTimeout(() => {
        server.log.error({ afterMs: SHUTDOWN_BACKSTOP_MS }, 'shutdown did not finish; exiting anyway');
        process.exit(1);
      }, SHUTDOWN_BACKSTOP_MS).unref();
      server.close().then(
        () => process.exit(0),
        (err: unknown) => {
          server.log.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    const url = await server.listen().catch(async (err: unknown) => {
      await server.close();
      throw err;
    });
    const token = await server.localAdminToken();
    const store = server.secretStore;
    const out = process.stdout;
    out.write(`Zen Flow server ${SERVER_VERSION} listening on ${url}\n`);
    const secretSource = server.options.signingSecret
      ? 'ZENFLOW_SIGNING_SECRET'
      : store.kind === 'keychain'
        ? store.location
        : `file ${store.location} (0600; ${store instanceof FileSecretStore ? store.why : 'no OS keychain reachable'})`;
    out.write(`Signing secret: ${secretSource}
`);
    out.write(`Data: ${server.options.dataDir}\n`);
    // The host only: the URL may carry a password.
    if (server.cluster) out.write(`Cluster: ${server.cluster.role} node ${server.cluster.node}, Redis at ${new URL(server.options.redisUrl!).host}\n`);
    if (server.options.webRoot === null) out.write('Web UI not built: run `npm run build` to serve it.\n');
    for (const lanUrl of server.lanUrls()) out.write(`LAN: ${lanUrl}\n`);
    out.write(tlsBanner(server.tlsState()));
    if (server.tlsState().source === 'files') {
      process.on('SIGHUP', () => {
        server.reloadTls().then(
          (state) => out.write(`TLS certificate reloaded. ${tlsBanner(state)}`),
          (err: unknown) => server.log.error({ err }, 'TLS reload failed; the previous certificate stays in use'),
        );
      });
    }
    // Last, so that seeing it means the server is up and ready to be stopped.
    out.write(`\nOpen the web UI with an admin token:\n    ${url}/?token=${token}\n\n`);
  });

const storeOptions = (cmd: Command) =>
  cmd
    .option('--data-dir <dir>', 'data directory', defaultDataDir())
    .addOption(new Option('--secret-store <kind>', 'where the signing secret lives').choices(['auto', 'file']).default('auto'))
    .addOption(new Option('--keychain-service <name>', 'keychain service name').default('zenflow-control-center').hideHelp());
type StoreFlags = { dataDir: string; secretStore: 'auto' | 'file'; keychainService: string };
const admin = (opts: StoreFlags) => openTokenAdmin(resolve(opts.dataDir), { service: opts.keychainService, preferFile: opts.secretStore === 'file' });

const token = program.command('token').description('manage access tokens (works offline on the data directory)');
storeOptions(token.command('issue'))
  .description('mint a token and print it')
  .requiredOption('--permissions <scopes...>', "scopes such as read:system write:swarms, or '*'")
  .option('--ttl <duration>', 'lifetime: seconds or 30s, 15m, 1h, 7d', '1h')
  .option('--user <id>', 'user id (sub claim)', 'user')
  .option('--json', 'print { token, jti, expiresAt } as JSON', false)
  .action(async (opts: StoreFlags & { permissions: string[]; ttl: string; user: string; json: boolean }) => {
    const ttl = ttlSchema.safeParse(/^\d+$/.test(opts.ttl) ? Number(opts.ttl) : opts.ttl);
    if (!ttl.success) throw new InvalidArgumentError('--ttl must be seconds or a duration such as 30s, 15m, 1h, 7d');
    const store = await admin(opts);
    try {
      const issued = await store.tokens.issue({ permissions: opts.permissions.flatMap((p) => p.split(',')).filter(Boolean), ttlSeconds: ttl.data, userId: opts.user });
      process.stdout.write(opts.json ? `${JSON.stringify(issued)}\n` : `${issued.token}\n`);
      if (!opts.json) process.stderr.write(`jti ${issued.jti}, expires ${new Date(issued.expiresAt).toISOString()}\n`);
    } finally {
      store.close();
    }
  });
storeOptions(token.command('list'))
  .description('list unexpired tokens')
  .option('--json', 'print JSON', false)
  .action(async (opts: StoreFlags & { json: boolean }) => {
    const store = await admin(opts);
    try {
      const list = store.tokens.list();
      if (opts.json) return void process.stdout.write(`${JSON.stringify(list)}\n`);
      for (const t of list) {
        const state = t.revokedAt ? 'revoked' : 'active';
        process.stdout.write(`${t.jti}  ${state.padEnd(7)}  ${t.userId.padEnd(12)}  ${new Date(t.expiresAt).toISOString()}  ${t.permissions.join(' ')}\n`);
      }
    } finally {
      store.close();
    }
  });
storeOptions(token.command('revoke <jti>'))
  .description('revoke a token; a running server disconnects its sockets within seconds')
  .action(async (jti: string, opts: StoreFlags) => {
    const store = await admin(opts);
    try {
      if (!store.tokens.get(jti)) throw new ProtocolError('not_found', `no token ${jti}`);
      store.tokens.revoke(jti);
      process.stdout.write(`revoked ${jti}\n`);
    } finally {
      store.close();
    }
  });

program
  .command('backup <file>')
  .description('copy the store to a new file while a server may be running (SQLite VACUUM INTO: a consistent moment)')
  .option('--data-dir <dir>', 'data directory', defaultDataDir())
  .action((file: string, opts: { dataDir: string }) => {
    const summary = backupDatabase(resolve(opts.dataDir), resolve(file));
    const rows = Object.values(summary.rows).reduce((a, b) => a + b, 0);
    process.stdout.write(`backed up ${join(resolve(opts.dataDir), DB_FILE)} to ${summary.file} (${summary.bytes} bytes, ${rows} rows, integrity ok)\n`);
  });

program
  .command('restore <file>')
  .description('replace the store with a backup (refused while a server runs on the data directory)')
  .option('--data-dir <dir>', 'data directory', defaultDataDir())
  .action((file: string, opts: { dataDir: string }) => {
    const restored = restoreDatabase(resolve(opts.dataDir), resolve(file));
    const rows = Object.values(restored.rows).reduce((a, b) => a + b, 0);
    process.stdout.write(`restored ${restored.file} from ${resolve(file)} (${rows} rows)\n`);
    if (restored.previous) process.stdout.write(`the store it replaced is kept as ${restored.previous}\n`);
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`zenflow: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(err instanceof ProtocolError && err.code === 'invalid_argument' ? 2 : 1);
});
