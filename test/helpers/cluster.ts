import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliProcess } from './cli';

/** A free loopback port (for processes that must come back on the same one). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface RedisServer {
  url: string;
  /** Ends it at once; what it held is gone (nothing is persisted). */
  kill(): Promise<void>;
  /** Starts an empty one again on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** A real redis-server (Debian's) on a loopback port, nothing persisted. */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  let child = await launchRedis(port);
  return {
    url: `redis://127.0.0.1:${port}`,
    kill: () => stopProcess(child, 'SIGKILL'),
    async restart() {
      child = await launchRedis(port);
    },
    stop: () => stopProcess(child, 'SIGTERM'),
  };
}

async function launchRedis(port: number): Promise<ChildProcess> {
  const child = spawn('/usr/bin/redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 10_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out}`)));
  });
  return child;
}

function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

export interface NodeProcess {
  role: 'core' | 'edge';
  port: number;
  url: string;
  dataDir: string;
  process: CliProcess;
  /** Ends the process at once (SIGKILL: no goodbye to clients or Redis). */
  kill(): Promise<void>;
  /** Starts it again on the same port and data directory. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface ClusterEnv {
  redisUrl: string;
  signingSecret: string;
  adminToken: string;
}

/** Limits raised for tests and benchmarks that open many sockets on one token from one address. */
const MANY_CLIENTS = ['--max-connections-per-address', '5000', '--max-new-connections-per-second', '5000', '--max-sockets-per-token', '5000'];

/** One `zenflow serve --redis … --role …` process, as operators run it. */
export async function startNode(role: 'core' | 'edge', env: ClusterEnv, extraArgs: string[] = []): Promise<NodeProcess> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), `zenflow-${role}-`));
  const args = [
    'serve',
    '--port',
    String(port),
    '--data-dir',
    dataDir,
    '--secret-store',
    'file',
    '--log-level',
    'warn',
    '--redis',
    env.redisUrl,
    '--role',
    role,
    ...MANY_CLIENTS,
    ...extraArgs,
  ];
  const vars = { ZENFLOW_SIGNING_SECRET: env.signingSecret, ZENFLOW_ADMIN_TOKEN: env.adminToken };
  const launch = async (): Promise<CliProcess> => {
    const p = runCli(args, vars);
    await p.waitFor(/Open the web UI/, 30_000);
    return p;
  };
  const node: NodeProcess = {
    role,
    port,
    url: `http://127.0.0.1:${port}`,
    dataDir,
    process: await launch(),
    async kill() {
      await stopProcess(node.process.child, 'SIGKILL');
    },
    async restart() {
      node.process = await launch();
    },
    async stop() {
      await stopProcess(node.process.child, 'SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return node;
}

/**
 * A TCP load balancer in front of edges: each new connection goes to the first
 * backend that accepts it, so clients stick to one edge and move to the next when it dies.
 */
export interface Balancer {
  url: string;
  /** The edge ports new connections try, in order; empty refuses every connection (an outage in front). */
  backends: number[];
  close(): Promise<void>;
}

export async function startBalancer(initial: number[]): Promise<Balancer> {
  const balancer = { backends: [...initial] };
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    open.add(client);
    client.once('close', () => open.delete(client));
    client.pause();
    const backends = [...balancer.backends];
    const attempt = (i: number): void => {
      if (i >= backends.length) return void client.destroy();
      const upstream = connect(backends[i]!, '127.0.0.1');
      let connected = false;
      upstream.once('error', () => {
        if (!connected) attempt(i + 1);
      });
      upstream.once('connect', () => {
        connected = true;
        open.add(upstream);
        upstream.once('close', () => {
          open.delete(upstream);
          client.destroy();
        });
        client.once('close', () => upstream.destroy());
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
        client.pipe(upstream).pipe(client);
        client.resume();
      });
    };
    attempt(0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(balancer, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  });
}

export interface TestCluster extends ClusterEnv {
  redis: RedisServer;
  core: NodeProcess;
  edges: NodeProcess[];
  stop(): Promise<void>;
}

/** Redis, one core and `edges` edges, sharing a fresh signing secret and admin token. */
export async function startCluster(options: { edges?: number; coreArgs?: string[]; edgeArgs?: string[] } = {}): Promise<TestCluster> {
  const redis = await startRedis();
  const env: ClusterEnv = { redisUrl: redis.url, signingSecret: randomBytes(32).toString('base64url'), adminToken: randomBytes(24).toString('base64url') };
  const started: NodeProcess[] = [];
  try {
    const core = await startNode('core', env, options.coreArgs);
    started.push(core);
    const edges = await Promise.all(Array.from({ length: options.edges ?? 2 }, () => startNode('edge', env, options.edgeArgs)));
    started.push(...edges);
    return {
      ...env,
      redis,
      core,
      edges,
      async stop() {
        await Promise.all(started.map((n) => n.stop()));
        await redis.stop();
      },
    };
  } catch (err) {
    await Promise.all(started.map((n) => n.stop()));
    await redis.stop();
    throw err;
  }
}
