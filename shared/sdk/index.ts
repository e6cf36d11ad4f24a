import { io, type Socket } from 'socket.io-client';
import type { CommandInput, CommandName } from '../protocol/command-table';
import type { ClientToServerEvents, CommandResponse, ServerToClientEvents } from '../protocol/event-map';
import { isErrorResponse, type ErrorBody, type ErrorCode } from '../protocol/errors';
import type { EventPayload, ServerEventName } from '../protocol/events';
import { channelOf, type Channel } from '../protocol/channels';
import type { LogPosition, Recovery, SubscriptionState } from '../protocol/models';
import type { CommandResult } from '../protocol/results';
import { normalizeFingerprint, pinErrorIn, type PinnedTransport, type TlsPinError } from './tls-pin';
import type { TlsPinning } from './tls-pin';

export { normalizeFingerprint, TlsPinError, type PinnedTransport, type TlsPinning } from './tls-pin';

const SUBSCRIPTION_COMMANDS = ['subscribe', 'unsubscribe', 'subscribe:filtered', 'subscription:update'] as const;
type SubscriptionCommand = (typeof SUBSCRIPTION_COMMANDS)[number];
const isSubscriptionCommand = (c: CommandName): c is SubscriptionCommand => (SUBSCRIPTION_COMMANDS as readonly string[]).includes(c);

/** The typed client SDK (docs/protocol.md §1–7), usable in Node and in the browser. */
export type ZenFlowSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface ZenFlowConfig {
  url: string;
  auth?: { token: string; userId?: string; permissions?: string[] };
  autoReconnect?: boolean;
  /**
   * false (default): commands issued while disconnected fail at once with code
   * 'disconnected' ("not sent — offline"), never queued behind the user's back.
   * true: they are held and sent on reconnect, as Socket.IO does.
   */
  bufferEvents?: boolean;
  timeout?: number;
  transports?: ('websocket' | 'polling')[];
  path?: string;
  /** Default: forever, until `close()`. */
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
  /** First retry delay (ms, default 1000); it doubles per attempt up to `reconnectionDelayMax` (default 10,000), with ±50 % jitter. */
  reconnectionDelay?: number;
  reconnectionDelayMax?: number;
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
    reconnectionAttempts: config.reconnectionAttempts ?? Number.POSITIVE_INFINITY,
    reconnectionDelay: config.reconnectionDelay ?? 1000,
    reconnectionDelayMax: config.reconnectionDelayMax ?? 10_000,
    // Jitter spreads a reconnect storm after a server restart.
    randomizationFactor: 0.5,
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
      // A refused token will not get better by retrying: stop here rather than retry.
      socket.disconnect();
      reject(pinRefusal(err) ?? err);
    };
    socket.once('connect', onConnect);
    socket.once('connect_error', onError);
  });
}

/** Resolves with the connected socket, rejects on `connect_error`. */
export async function connectToClaudeZenFlow(config: ZenFlowConfig): Promise<ZenFlowSocket> {
  const { socket, pinRefusal } = createSocket(config);
  await waitForConnect(socket, pinRefusal);
  return socket;
}

/** Sends a command and resolves with its ack's result, or throws ZenFlowRequestError. */
export function request<C extends CommandName>(socket: ZenFlowSocket, command: C, payload?: CommandInput<C>, options: { timeout?: number } = {}): Promise<CommandResult<C>> {
  return new Promise((resolve, reject) => {
    const ack = (err: Error | null, response: CommandResponse<C>): void => {
      if (err) return reject(new ZenFlowRequestError({ code: 'timeout', message: `${command}: no answer within ${options.timeout ?? 15_000} ms` }));
      if (isErrorResponse(response)) return reject(new ZenFlowRequestError(response.error));
      resolve(response);
    };
    // Socket.IO's emit types cannot follow a generic command through the mapped event map, and a
    // command without a payload is sent with the ack alone; the map checked `payload` and `ack` above.
    const emitter = socket.timeout(options.timeout ?? 15_000) as unknown as {
      emit(event: C, ...args: [CommandInput<C>, typeof ack] | [typeof ack]): void;
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
  /** The newest logged event seen (docs/protocol.md §10): where a reconnect resumes from. */
  private position: LogPosition | null = null;
  /** This session's start in the log and the newest seq it has delivered. */
  private session: LogPosition | null = null;
  private sessionSeen = 0;
  private readonly recoveryListeners = new Set<(r: Recovery) => void>();

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

  /** The newest event seq seen in the server's log (and its epoch); null before the first session. */
  get logPosition(): LogPosition | null {
    return this.position;
  }

  /**
   * Told how each automatic resume after a reconnect went: `{ recovered: true, replayed }`
   * (the missed events were delivered as usual), or `{ recovered: false, reason }`, when
   * events were lost for good and the application should reload its state.
   */
  onRecovery(listener: (r: Recovery) => void): () => void {
    this.recoveryListeners.add(listener);
    return () => this.recoveryListeners.delete(listener);
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
    // Socket.IO's on/off cannot follow a generic event through the mapped event map; Handler<E> is that map's entry.
    const s = this.socket as unknown as { on(e: E, h: Handler<E>): void; off(e: E, h: Handler<E>): void };
    s.on(event, handler);
    return () => s.off(event, handler);
  }

  request<C extends CommandName>(command: C, payload?: CommandInput<C>, options?: { timeout?: number }): Promise<CommandResult<C>> {
    if (this.config.bufferEvents !== true && !this.socket.connected) {
      return Promise.reject(new ZenFlowRequestError({ code: 'disconnected', message: `${command}: not sent — offline` }));
    }
    const pending = request(this.socket, command, payload, options);
    if (isSubscriptionCommand(command)) {
      void (pending as Promise<CommandResult<SubscriptionCommand>>).then(
        (state) => {
          this.subscriptions = state.subscriptions;
        },
        () => undefined,
      );
    }
    return pending;
  }

  /**
   * A reconnect is a new server session: subscribe again to what the last one had,
   * filters and exclusions in one request (nothing excluded can slip in between),
   * resuming after the newest event seen.
   */
  private async restoreSubscriptions(): Promise<void> {
    const channels = Object.keys(this.subscriptions) as Channel[];
    if (channels.length === 0) return;
    const saved = this.subscriptions;
    const filters = Object.fromEntries(channels.map((c) => [c, saved[c]!.filter]));
    const exclude = Object.fromEntries(channels.map((c) => [c, saved[c]!.exclude]));
    const since = this.position ?? undefined;
    const ack = await this.request('subscribe', { categories: channels, filters, exclude, ...(since ? { since } : {}) });
    const recovery = ack.recovery;
    if (!recovery) return;
    // Refused: what was missed is gone (the application reloads); carry on in this session's log.
    if (!recovery.recovered && this.session) this.position = { epoch: this.session.epoch, seq: Math.max(this.session.seq, this.sessionSeen) };
    for (const l of this.recoveryListeners) l(recovery);
  }

  /** Remembers the newest seq of every logged event, inside batches too. */
  private see(payload: unknown): void {
    const p = payload as { seq?: unknown; events?: { data?: { seq?: unknown } }[] } | null;
    if (typeof p?.seq === 'number') {
      this.sessionSeen = Math.max(this.sessionSeen, p.seq);
      const position = this.position;
      if (position && position.epoch === this.session?.epoch && p.seq > position.seq) this.position = { epoch: position.epoch, seq: p.seq };
    }
    if (Array.isArray(p?.events)) for (const item of p.events) this.see(item?.data);
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
    // A server that shuts down says so, then disconnects us "on purpose", which Socket.IO never
    // retries by itself: reconnect (with the manager's backoff) as after any other outage.
    let serverShutdown = false;
    socket.on('server:shutdown', () => {
      serverShutdown = true;
    });
    let connectedBefore = false;
    let resumeDue = false;
    socket.on('connect', () => {
      this.setState({ status: 'connected' });
      resumeDue = connectedBefore;
      connectedBefore = true;
    });
    socket.onAny((event: string, payload: unknown) => {
      if (event === 'batch' || channelOf(event) !== null) this.see(payload);
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
    // auth:session is the first thing a new session says: resume from there.
    // auth:session opens every session (and is repeated after a token refresh): resume once per connect.
    socket.on('auth:session', (p) => {
      this.grantedPermissions = p.permissions;
      if (!resumeDue && this.session) return;
      this.session = p.epoch !== undefined && p.seq !== undefined ? { epoch: p.epoch, seq: p.seq } : null;
      this.sessionSeen = 0;
      this.position ??= this.session;
      if (resumeDue) {
        resumeDue = false;
        void this.restoreSubscriptions().catch(() => undefined);
      }
    });
    socket.on('auth:error', (p) => {
      manager.reconnection(false);
      this.setState({ status: 'refused', reason: p.message, code: p.code });
    });
    socket.on('auth:token:refresh', (p) => {
      void this.request('auth:refresh', { refreshToken: p.refreshToken }).then(
        ({ token, expiresAt }) => {
          (socket.auth as { token: string }).token = token;
          for (const l of this.tokenListeners) l(token, expiresAt);
        },
        () => undefined,
      );
    });
    socket.on('ping', () => undefined);
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
