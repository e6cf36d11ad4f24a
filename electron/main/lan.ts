import type { LanDevice, LanState } from '../../shared/bridge';
import { createZenFlowServer, type CreateServerExtras, type ZenFlowServer } from '../server/app';
import { isLoopbackHost } from '../server/network';
import { DEVICE_PREFIX } from '../server/rest/pairing-routes';
import type { ServerOptionsInput } from '../server/options';
import type { SecretStore } from '../store/secret-store';
import type { TokenRecord } from '../store/tokens-repo';
import { PairingCodes } from './pairing';

/**
 * The app's own Zen Flow server and its LAN hosting switch. Turning LAN on restarts
 * the server on 0.0.0.0 with `lan: true` (and the web UI for browsers); off restarts
 * it on loopback. LAN devices pair with a short code and get their own read-only
 * token, which can be revoked per device. No Electron here: unit-tested under Node.
 */

export type ServerFactory = (options: ServerOptionsInput, extras: CreateServerExtras) => Promise<ZenFlowServer>;

export interface LocalServerConfig {
  dataDir: string;
  secretStore: SecretStore;
  /** Extra browser origins (Vite's dev server in development). */
  allowedOrigins: string[];
  /** The built web UI, served to LAN browsers only; the window loads it over app://. */
  webRoot: string | null;
  port?: number;
  factory?: ServerFactory;
  pairing?: PairingCodes;
}

/** A socket from another machine; IPv4-mapped loopback (::ffff:127.0.0.1) is still this one. */
export function isRemoteAddress(address: string): boolean {
  return !isLoopbackHost(address.replace(/^::ffff:/i, ''));
}

/** Paired devices from the token table: one entry per device id over its live tokens, the newest one's permissions. */
export function lanDevices(records: readonly TokenRecord[], now: number): LanDevice[] {
  const live = records.filter((r) => r.userId.startsWith(DEVICE_PREFIX) && r.revokedAt === null && r.expiresAt > now).sort((a, b) => a.issuedAt - b.issuedAt);
  const devices = new Map<string, LanDevice>();
  for (const r of live) {
    const seen = devices.get(r.userId);
    devices.set(r.userId, {
      id: r.userId,
      name: r.userId.split(':').slice(2).join(':'),
      permissions: r.permissions,
      pairedAt: seen?.pairedAt ?? r.issuedAt,
      expiresAt: Math.max(seen?.expiresAt ?? 0, r.expiresAt),
    });
  }
  return [...devices.values()];
}

const isAddressInUse = (err: unknown): boolean => (err as { code?: unknown } | null)?.code === 'EADDRINUSE';

export class LocalServerHost {
  private server: ZenFlowServer | null = null;
  private lan = false;
  private port: number;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly factory: ServerFactory;
  private readonly pairing: PairingCodes;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly config: LocalServerConfig) {
    this.port = config.port ?? 3456;
    this.factory = config.factory ?? createZenFlowServer;
    this.pairing = config.pairing ?? new PairingCodes();
  }

  /** Start, restart and close run one at a time, so no call ever sees a half-restarted server. */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The certificate the local server presents (LAN on), which the app's own window trusts. */
  get fingerprint(): string | null {
    return this.server?.tlsState().fingerprint ?? null;
  }

  /** The local base URL, or null while (re)starting or stopped. */
  get url(): string | null {
    return this.server?.url ?? null;
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  private running(): ZenFlowServer & { readonly url: string } {
    const server = this.server;
    if (!server?.url) throw new Error('the local server is not running');
    return server as ZenFlowServer & { readonly url: string };
  }

  private async boot(lan: boolean): Promise<void> {
    try {
      this.server = await this.listenOn(lan, this.port);
    } catch (err) {
      // Someone else holds the port (a headless `zenflow serve`, say): take a free one, kept across restarts.
      if (!isAddressInUse(err) || this.port === 0) throw err;
      this.server = await this.listenOn(lan, 0);
    }
    this.lan = lan;
    this.port = Number(new URL(this.running().url).port);
  }

  private async listenOn(lan: boolean, port: number): Promise<ZenFlowServer> {
    const { dataDir, secretStore, allowedOrigins, webRoot } = this.config;
    // The pairing endpoint exists only while LAN hosting is on.
    const pairing = lan ? { redeem: (code: string) => this.pairing.redeem(code), paired: () => this.changed() } : undefined;
    const server = await this.factory(
      // LAN hosting is always HTTPS with the app's own self-signed certificate (docs/protocol.md §11).
      { host: lan ? '0.0.0.0' : '127.0.0.1', port, lan, autoTls: lan, dataDir, allowedOrigins, webRoot: lan ? webRoot : null },
      { mode: 'desktop', secretStore, pairing },
    );
    try {
      await server.listen();
      return server;
    } catch (err) {
      await server.close();
      throw err;
    }
  }

  private async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    await server?.close();
  }

  start(): Promise<void> {
    return this.serial(async () => {
      await this.boot(false);
      this.changed();
    });
  }

  setLan(enabled: boolean): Promise<LanState> {
    return this.serial(async () => {
      if (enabled !== this.lan || !this.server) {
        await this.stop();
        this.pairing.clear();
        try {
          await this.boot(enabled);
        } catch (err) {
          // Never leave the app without its server: fall back to loopback and report the failure.
          if (enabled) await this.boot(false);
          throw err;
        } finally {
          this.changed();
        }
        if (enabled) this.pairing.issue();
      }
      return this.snapshot();
    });
  }

  /** Where the renderer connects for the local server, with the long-lived local admin token. */
  connection(): Promise<{ url: string; token: string }> {
    return this.serial(async () => {
      const server = this.running();
      return { url: server.url, token: await server.localAdminToken() };
    });
  }

  state(): Promise<LanState> {
    return this.serial(async () => this.snapshot());
  }

  pair(): Promise<LanState> {
    return this.serial(async () => {
      if (!this.lan) throw new Error('turn LAN hosting on before pairing a device');
      this.pairing.issue();
      this.changed();
      return this.snapshot();
    });
  }

  revokeDevice(id: string): Promise<LanState> {
    return this.serial(async () => {
      const server = this.running();
      const tokens = server.tokens.list().filter((t) => t.userId === id && t.revokedAt === null);
      if (tokens.length === 0) throw new Error(`no paired device ${id}`);
      for (const t of tokens) server.tokens.revoke(t.jti);
      this.changed();
      return this.snapshot();
    });
  }

  close(): Promise<void> {
    return this.serial(async () => {
      this.pairing.clear();
      await this.stop();
    });
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private snapshot(): LanState {
    const server = this.running();
    const pairing = this.lan ? this.pairing.current() : null;
    return {
      enabled: this.lan,
      urls: server.lanUrls(),
      fingerprint: server.tlsState().fingerprint,
      clients: [...server.io.sockets.sockets.values()].filter((s) => isRemoteAddress(s.handshake.address)).length,
      ...(pairing ? { pairingCode: pairing.code, pairingExpiresAt: pairing.expiresAt } : {}),
      devices: lanDevices(server.tokens.list(), Date.now()),
    };
  }
}
