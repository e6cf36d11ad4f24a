import { io, type Socket } from 'socket.io-client';
import type { CommandInput, CommandName } from '../protocol/command-table';
import type { ClientToServerEvents, ServerToClientEvents } from '../protocol/event-map';
import { isErrorResponse, type ErrorBody, type ErrorCode } from '../protocol/errors';
import type { EventPayload, ServerEventName } from '../protocol/events';
import type { Channel } from '../protocol/channels';
import type { SubscriptionState } from '../protocol/models';
import type { CommandResult } from '../protocol/results';
import { normalizeFingerprint, pinErrorIn, type PinnedTransport, type TlsPinError } from './tls-pin';
import type { TlsPinning } from './tls-pin';

export { normalizeFingerprint, TlsPinError, type PinnedTransport, type TlsPinning } from './tls-pin';

const SUBSCRIPTION_COMMANDS: ReadonlySet<string> = new Set(['subscribe', 'unsubscribe', 'subscribe:filtered', 'subscription:update']);

/** The typed client SDK (PROTOCOL.md §1–7), usable in Node and in the browser. */
export type ZenFlowSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface ZenFlowConfig {
  url: string;
  auth?: { token: string; userId?: string; permissions?: string[] };
  autoReconnect?: boolean;
  /**
   * true (default): commands issued while disconnected are held and sent on reconnect, as
   * Socket.IO does. false: they fail at once with code 'disconnected'.
   */
  bufferEvents?: boolean;
  timeout?: number;
  transports?: ('websocket' | 'polling')[];
  path?: string;
  reconnectionAttempts?: number;
  /**
   * Pin the server's certificate by its SHA-256 fingerprint (`AB:CD:…`, from pairing or the
   * server's start-up line): any other certificate is refused with TlsPinError, whoever signed it.
   * Needs `tlsPinning` (Node: `nodeTlsPinning`); a browser checks certificates itself.
   */
  tlsFingerprint?: string;
  tlsPinning?: TlsPinning;
  /** Node: CA certificates (PEM) to trust besides the system's, e.g. a private CA. */
  ca?: string | string[];
}

/** A refused command: the ack's `{ error: { code, message, details? } }` as an exception. */
export class ZenFlowRequestError extends Error {
  readonly code: ErrorCode | 'timeout' | 'disconnected';
  readonly details: ErrorBody['details'];
  constructor(body: { code: ErrorCode | 'timeout' | 'disconnected'; message: string; details?: ErrorBody['details'] }) {
    super(body.message);
    this.name = 'ZenFlowRequestError';
    this.code = body.code;
    this.details = body.details;
  }
}

/** Transport options for TLS: a pinned agent, or extra CAs. */
function tlsOptions(config: ZenFlowConfig): { pinned?: PinnedTransport; ca?: string | string[] } {
  if (config.tlsFingerprint === undefined) return config.ca === undefined ? {} : { ca: config.ca };
  if (!config.tlsPinning) {
    throw new Error('tlsFingerprint needs tlsPinning (Node: nodeTlsPinning); in a browser compare the fingerprint in the certificate warning instead');
  }
  if (!config.url.startsWith('https:') && !config.url.startsWith('wss:')) throw new Error(`tlsFingerprint pins a TLS certificate, but ${config.url} is not https:`);
  return { pinned: config.tlsPinning(normalizeFingerprint(config.tlsFingerprint)) };
}

/** A socket, and how to tell that its last connect failure was a refused certificate. */
function createSocket(config: ZenFlowConfig): { socket: ZenFlowSocket; pinRefusal: (err: unknown) => TlsPinError | null } {
  const { pinned, ca } = tlsOptions(config);
  const socket = io(config.url, {
    // socket.io-client types `agent` as string | boolean; under Node it goes to https.request as the Agent it is.
    ...(pinned ? { agent: pinned.agent as string } : {}),
    ...(ca ? { ca } : {}),
    auth: config.auth,
    autoConnect: true,
    reconnection: config.autoReconnect ?? true,
    reconnectionAttempts: config.reconnectionAttempts ?? 5,
    reconnectionDelay: 1000,
    reconnectionDelayMax: 5000,
    timeout: config.timeout ?? 10_000,
    transports: config.transports ?? ['websocket', 'polling'],
    path: config.path ?? '/socket.io',
  }) as ZenFlowSocket;
  return { socket, pinRefusal: (err) => pinErrorIn(err) ?? pinned?.refusal() ?? null };
}

function waitForConnect(socket: ZenFlowSocket, pinRefusal: (err: unknown) => TlsPinError | null): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    const onConnect = (): void => {
      socket.off('connect_error', onError);
      resolve();
    };
    const onError = (err: Error): void => {
      socket.off('connect', onConnect);
      // A refused token will not get better by retrying: stop here, as the seed's client does.
      socket.disconnect();
      reject(pinRefusal(err) ?? err);
    };
    socket.once('connect', onConnect);
    socket.once('connect_error', onError);
  });
}

/** The seed's signature: resolves with the connected socket, rejects on `connect_error`. */
export async function connectToClaudeZenFlow(config: ZenFlowConfig): Promise<ZenFlowSocket> {
  const { socket, pinRefusal } = createSocket(config);
  await waitForConnect(socket, pinRefusal);
  return socket;
}

/** Sends a command and resolves with its ack's result, or throws ZenFlowRequestError. */
export function request<C extends CommandName>(
  socket: ZenFlowSocket,
  command: C,
  payload?: CommandInput<C>,
  options: { timeout?: number } = {},
): Promise<CommandResult<C>> {
  return new Promise((resolve, reject) => {
    const ack = (err: Error | null, response: unknown): void => {
      if (err) return reject(new ZenFlowRequestError({ code: 'timeout', message: `${command}: no answer within ${options.timeout ?? 15_000} ms` }));
      if (isErrorResponse(response)) return reject(new ZenFlowRequestError(response.error));
      resolve(response as CommandResult<C>);
    };
    const emitter = socket.timeout(options.timeout ?? 15_000) as unknown as {
      emit(event: string, ...args: unknown[]): void;
    };
    if (payload === undefined) emitter.emit(command, ack);
    else emitter.emit(command, payload, ack);
  });
}

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'refused' | 'disconnected';
export interface ConnectionState {
  status: ConnectionStatus;
  reason?: string;
  code?: string;
  nextRetryInMs?: number;
  attempt?: number;
}

type Handler<E extends ServerEventName> = (payload: EventPayload<E>) => void;

/**
 * A connection with state tracking and automatic token refresh: when the server
 * sends `auth:token:refresh`, the client exchanges it and keeps going under the new token.
 */
export class ZenFlowClient {
  readonly socket: ZenFlowSocket;
  private readonly pinRefusal: (err: unknown) => TlsPinError | null;
  private state: ConnectionState = { status: 'connecting' };
  private readonly stateListeners = new Set<(s: ConnectionState) => void>();
  private readonly tokenListeners = new Set<(token: string, expiresAt: number) => void>();
  private grantedPermissions: string[] = [];
  /** The server's last acked subscription state, restored on a new session after reconnecting. */
  private subscriptions: SubscriptionState['subscriptions'] = {};

  constructor(private readonly config: ZenFlowConfig) {
    ({ socket: this.socket, pinRefusal: this.pinRefusal } = createSocket(config));
    this.track();
  }

  get connectionState(): ConnectionState {
    return this.state;
  }

  /** The effective scopes the server granted this connection (from `auth:session`). */
  get permissions(): string[] {
    return this.grantedPermissions;
  }

  get token(): string | undefined {
    return (this.socket.auth as { token?: string } | undefined)?.token;
  }

  onStateChange(listener: (s: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    listener(this.state);
    return () => this.stateListeners.delete(listener);
  }

  /** Called with each new access token (after refresh), e.g. to store it. */
  onTokenChange(listener: (token: string, expiresAt: number) => void): () => void {
    this.tokenListeners.add(listener);
    return () => this.tokenListeners.delete(listener);
  }

  on<E extends ServerEventName>(event: E, handler: Handler<E>): () => void {
    const s = this.socket as unknown as { on(e: string, h: (p: unknown) => void): void; off(e: string, h: (p: unknown) => void): void };
    const h = handler as (p: unknown) => void;
    s.on(event, h);
    return () => s.off(event, h);
  }

  request<C extends CommandName>(command: C, payload?: CommandInput<C>, options?: { timeout?: number }): Promise<CommandResult<C>> {
    if (this.config.bufferEvents === false && !this.socket.connected) {
      return Promise.reject(new ZenFlowRequestError({ code: 'disconnected', message: `${command}: not connected` }));
    }
    const pending = request(this.socket, command, payload, options);
    if (SUBSCRIPTION_COMMANDS.has(command)) {
      void pending.then((state) => {
        this.subscriptions = (state as SubscriptionState).subscriptions;
      }, () => undefined);
    }
    return pending;
  }

  /** A reconnect is a new server session: subscribe again to what the last one had. */
  private async restoreSubscriptions(): Promise<void> {
    const channels = Object.keys(this.subscriptions) as Channel[];
    if (channels.length === 0) return;
    const saved = this.subscriptions;
    const filters = Object.fromEntries(channels.map((c) => [c, saved[c]!.filter]));
    await this.request('subscribe', { categories: channels, filters });
    for (const c of channels) {
      for (const filter of saved[c]!.exclude) await this.request('subscription:update', { action: 'remove', category: c, filter });
    }
  }

  subscribe(spec: CommandInput<'subscribe'>): Promise<CommandResult<'subscribe'>> {
    return this.request('subscribe', spec);
  }

  waitForConnect(): Promise<void> {
    return waitForConnect(this.socket, this.pinRefusal);
  }

  close(): void {
    this.socket.disconnect();
    this.setState({ status: 'disconnected', reason: 'closed' });
  }

  private setState(next: ConnectionState): void {
    this.state = next;
    for (const l of this.stateListeners) l(next);
  }

  private track(): void {
    const socket = this.socket;
    const manager = socket.io;
    const s = socket as unknown as { on(e: string, h: (p: never) => void): void };
    // A server that shuts down says so, then disconnects us "on purpose", which Socket.IO never
    // retries by itself: reconnect (with the manager's backoff) as after any other outage.
    let serverShutdown = false;
    s.on('server:shutdown', () => {
      serverShutdown = true;
    });
    let connectedBefore = false;
    socket.on('connect', () => {
      this.setState({ status: 'connected' });
      if (connectedBefore) void this.restoreSubscriptions().catch(() => undefined);
      connectedBefore = true;
    });
    socket.on('disconnect', (reason) => {
      if (reason === 'io client disconnect') return this.setState({ status: 'disconnected', reason });
      if (reason === 'io server disconnect') {
        if (!serverShutdown || this.config.autoReconnect === false) return; // auth:error said why
        serverShutdown = false;
        this.setState({ status: 'reconnecting', reason: 'server restarting' });
        socket.connect();
        return;
      }
      this.setState({ status: 'reconnecting', reason });
    });
    socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      const pin = this.pinRefusal(err);
      const code = pin?.code ?? err.data?.code;
      if (pin) {
        // Another host answers at this address: retrying would only offer it the token again.
        manager.reconnection(false);
        this.setState({ status: 'refused', reason: pin.message, code });
      } else if (code) {
        // Refusals are final until the user supplies another token.
        manager.reconnection(false);
        this.setState({ status: 'refused', reason: err.message, code });
      } else {
        this.setState({ status: 'reconnecting', reason: err.message });
      }
    });
    manager.on('reconnect_attempt', (attempt) => this.setState({ ...this.state, status: 'reconnecting', attempt }));
    manager.on('reconnect_failed', () => this.setState({ status: 'disconnected', reason: 'gave up reconnecting' }));
    s.on('auth:session', (p: { permissions: string[] }) => {
      this.grantedPermissions = p.permissions;
    });
    s.on('auth:error', (p: { code: string; message: string }) => {
      manager.reconnection(false);
      this.setState({ status: 'refused', reason: p.message, code: p.code });
    });
    s.on('auth:token:refresh', (p: { refreshToken: string }) => {
      void this.request('auth:refresh', { refreshToken: p.refreshToken }).then(
        ({ token, expiresAt }) => {
          (socket.auth as { token: string }).token = token;
          for (const l of this.tokenListeners) l(token, expiresAt);
        },
        () => undefined,
      );
    });
    s.on('ping', () => undefined);
  }
}

/** A client that is connecting; use `onStateChange` to follow it. */
export function createZenFlowClient(config: ZenFlowConfig): ZenFlowClient {
  return new ZenFlowClient(config);
}

/** Resolves with a connected client, rejects with the `connect_error` (e.g. `auth: token expired`). */
export async function connectZenFlowClient(config: ZenFlowConfig): Promise<ZenFlowClient> {
  const client = new ZenFlowClient(config);
  await client.waitForConnect();
  return client;
}
