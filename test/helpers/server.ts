import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createZenFlowClient, type ZenFlowClient, type ZenFlowConfig } from '../../shared/sdk';
import { createZenFlowServer, type CreateServerExtras, type ZenFlowServer } from '../../electron/server/app';
import type { ServerOptionsInput } from '../../electron/server/options';
import { nodeTlsPinning } from '../../electron/server/tls/pinned-agent';
import { FileSecretStore } from '../../electron/store/secret-store';

export interface TestServer {
  server: ZenFlowServer;
  url: string;
  dataDir: string;
  /** Mints a token on this server. */
  token(permissions?: string[], ttlSeconds?: number, userId?: string): Promise<string>;
  /** A connected SDK client that has had its `auth:session` (so `permissions` is known); closed by `close()`. */
  client(options?: { permissions?: string[]; token?: string; config?: Partial<ZenFlowConfig> }): Promise<ZenFlowClient>;
  close(): Promise<void>;
}

/** A real server on an ephemeral loopback port with its own data directory; `extras.clock` puts it on virtual time. */
export async function startTestServer(options: ServerOptionsInput = {}, extras: CreateServerExtras = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'zenflow-test-'));
  const server = await createZenFlowServer(
    { port: 0, logLevel: 'silent', engines: false, ...options, dataDir },
    { secretStore: new FileSecretStore(join(dataDir, 'secrets.json')), ...extras },
  );
  const url = await server.listen();
  const clients: ZenFlowClient[] = [];
  const token = async (permissions: string[] = ['*'], ttlSeconds = 3600, userId = 'tester') => (await server.tokens.issue({ permissions, ttlSeconds, userId })).token;
  return {
    server,
    url,
    dataDir,
    token,
    async client(opts = {}) {
      const c = createZenFlowClient({
        url,
        auth: { token: opts.token ?? (await token()), permissions: opts.permissions },
        transports: ['websocket'],
        autoReconnect: false,
        // A TLS server is trusted by its fingerprint, as a paired device trusts it.
        ...(server.tlsState().fingerprint ? { tlsFingerprint: server.tlsState().fingerprint!, tlsPinning: nodeTlsPinning } : {}),
        ...opts.config,
      });
      clients.push(c);
      // auth:session follows the connect: listen before connecting so it cannot be missed.
      const session = new Promise<void>((resolve) => (c.socket as unknown as { once(e: string, h: () => void): void }).once('auth:session', () => resolve()));
      try {
        await c.waitForConnect();
      } catch (err) {
        c.close();
        throw err;
      }
      await session;
      return c;
    },
    async close() {
      for (const c of clients) c.close();
      await server.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Resolves with the next `event` the client receives, or rejects after `ms`. */
export function nextEvent<T = Record<string, unknown>>(client: ZenFlowClient, event: string, ms = 5000, predicate: (p: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve, reject) => {
    const socket = client.socket as unknown as { on(e: string, h: (p: T) => void): void; off(e: string, h: (p: T) => void): void };
    const timer = setTimeout(() => {
      socket.off(event, handler);
      reject(new Error(`no ${event} within ${ms} ms`));
    }, ms);
    const handler = (p: T) => {
      if (!predicate(p)) return;
      clearTimeout(timer);
      socket.off(event, handler);
      resolve(p);
    };
    socket.on(event, handler);
  });
}

/** Collects every `event` the client receives until stopped. */
export function collect<T = Record<string, unknown>>(client: ZenFlowClient, event: string): { items: T[]; stop(): void } {
  const items: T[] = [];
  const socket = client.socket as unknown as { on(e: string, h: (p: T) => void): void; off(e: string, h: (p: T) => void): void };
  const handler = (p: T) => items.push(p);
  socket.on(event, handler);
  return { items, stop: () => socket.off(event, handler) };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
