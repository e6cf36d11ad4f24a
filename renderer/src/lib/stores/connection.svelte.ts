import { createZenFlowClient, type ConnectionState, type ZenFlowClient } from '../../../../shared/sdk';
import { CHANNELS } from '../../../../shared/protocol/channels';
import { expandPermissions, type Scope } from '../../../../shared/protocol/permissions';
import { bridge, type ConnectionInfo } from '../desktop-bridge';
import { dispatch } from '../server-events';
import type { Whoami } from '../../../../shared/protocol/rest';
import { clearRestTarget, rest, setRestTarget } from '../rest';
import { toasts } from './toasts.svelte';

/** `GET /api/whoami`; when it cannot be read, the caller and its permissions as the socket reported them. */
export type WhoAmI = Omit<Whoami, 'server' | 'tokenId'> & Partial<Pick<Whoami, 'server' | 'tokenId'>>;

const TOKEN_KEY = 'zenflow.token';
const URL_KEY = 'zenflow.url';
const RECONNECT_DELAY = 1000;
const RECONNECT_DELAY_MAX = 5000;

/** Accepts "host:port", "http://host:port/", … and returns an origin-like base URL. */
export function normalizeUrl(input: string): string {
  let s = input.trim();
  if (!s) return s;
  if (!/^[a-z]+:\/\//i.test(s)) s = `http://${s}`;
  return s.replace(/\/+$/, '');
}

function isLoopback(url: string): boolean {
  try {
    const h = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return h === 'localhost' || h === '::1' || h.startsWith('127.');
  } catch {
    return false;
  }
}

/** The browser keeps the token for this tab only; the desktop app keeps tokens in the OS keychain instead. */
function storage(): Storage | null {
  if (bridge()) return null;
  try {
    return sessionStorage;
  } catch {
    return null;
  }
}

type Hook = () => void;

class Connection {
  /** The live client, or null while the connect screen shows. */
  client = $state.raw<ZenFlowClient | null>(null);
  state = $state.raw<ConnectionState>({ status: 'disconnected' });
  url = $state('');
  token = $state('');
  whoami = $state.raw<WhoAmI | null>(null);
  /** When the state last left 'connected' (for stale indicators), null while connected. */
  downSince = $state<number | null>(null);
  connectedAt = $state<number | null>(null);
  /** Estimated time of the next reconnection attempt. */
  nextRetryAt = $state<number | null>(null);
  /** Whether this session ever got connected (the connect screen shows until then). */
  everConnected = $state(false);
  /** Error to show on the connect screen. */
  connectError = $state<string | null>(null);
  desktop = $state(false);
  /** Desktop: the profile this connection belongs to ('local' = this computer's server). */
  profileId = $state<string | null>(null);
  profileName = $state<string | null>(null);
  profileMode = $state<'local' | 'remote' | null>(null);

  /** The server's `auth:session` for this socket: the effective, narrowed scopes (sent on every connect). */
  session = $state.raw<{ userId: string; permissions: string[]; expiresAt: number | null } | null>(null);

  permissions = $derived<string[]>(this.session?.permissions ?? this.whoami?.permissions ?? []);
  scopes = $derived<Set<Scope>>(expandPermissions(this.permissions));
  /** Whether the scopes are known yet (auth:session or whoami arrived): until then nothing is called missing. */
  scopesKnown = $derived(this.session !== null || this.whoami !== null);
  connected = $derived(this.state.status === 'connected');

  /** Local / Remote host / LAN hosting with client count. */
  serverLabel = $derived.by(() => {
    const lan = this.whoami?.server?.lan;
    if (lan?.enabled) return `LAN hosting · ${lan.clients ?? 0} client${lan.clients === 1 ? '' : 's'}`;
    if (!this.url) return '';
    if (this.profileMode === 'local' || isLoopback(this.url)) return 'Local';
    try {
      return `Remote ${new URL(this.url).host}`;
    } catch {
      return 'Remote';
    }
  });

  #hooks = new Set<Hook>();
  #subscribed = new WeakSet<ZenFlowClient>();
  #unsubs: (() => void)[] = [];

  constructor() {
    this.desktop = bridge() !== null;
  }

  can(scope: Scope): boolean {
    return this.scopes.has(scope);
  }

  /** The connected client, for a command: throws when there is none, so the caller's form shows why. */
  requireClient(): ZenFlowClient {
    if (!this.client) throw new Error('not connected');
    return this.client;
  }

  /** Registers a callback run after every (re)connect, once subscribed: reload snapshots there. */
  onConnected(hook: Hook): () => void {
    this.#hooks.add(hook);
    if (this.connected) queueMicrotask(hook);
    return () => this.#hooks.delete(hook);
  }

  /** Startup: take ?token= from the address bar (then remove it), or the stored/bridged connection. */
  async init(): Promise<void> {
    const b = bridge();
    if (b) {
      try {
        this.useConnectionInfo(await b.getConnection());
      } catch (err) {
        this.connectError = `Could not read the active connection: ${(err as Error)?.message ?? err}`;
      }
      return;
    }
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- read once at startup, not state
    const params = new URLSearchParams(location.search);
    const fromUrl = params.get('token');
    if (fromUrl) {
      params.delete('token');
      const qs = params.toString();
      history.replaceState(history.state, '', `${location.pathname}${qs ? `?${qs}` : ''}${location.hash}`);
      storage()?.setItem(TOKEN_KEY, fromUrl);
    }
    const token = fromUrl ?? storage()?.getItem(TOKEN_KEY) ?? '';
    const url = storage()?.getItem(URL_KEY) ?? this.defaultUrl();
    this.url = url;
    this.token = token;
    if (token && url) this.connect(url, token);
  }

  /** Desktop: connect where the main process says (local server or the active profile). */
  useConnectionInfo(info: ConnectionInfo): void {
    this.profileId = info.profileId;
    this.profileName = info.mode === 'local' ? null : info.name;
    this.profileMode = info.mode;
    if (info.token) this.connect(info.url, info.token);
    else {
      this.teardown();
      this.everConnected = false;
      this.url = info.url;
      this.token = '';
      this.connectError = `No token is stored for “${info.name}”: enter one to connect.`;
    }
  }

  defaultUrl(): string {
    return /^https?:$/.test(location.protocol) ? location.origin : 'http://127.0.0.1:3456';
  }

  connect(url: string, token: string): void {
    this.teardown();
    const base = normalizeUrl(url);
    this.url = base;
    this.token = token.trim();
    this.connectError = null;
    storage()?.setItem(URL_KEY, base);
    storage()?.setItem(TOKEN_KEY, this.token);
    setRestTarget(base, () => this.token);

    const client = createZenFlowClient({
      url: base,
      auth: { token: this.token },
      autoReconnect: true,
      reconnectionAttempts: Number.POSITIVE_INFINITY,
      timeout: 10_000,
    });
    this.client = client;

    client.socket.onAny((event: string, payload: unknown) => dispatch(event, payload));
    this.#unsubs.push(
      client.on('auth:session', (p) => {
        if (this.client === client) this.session = { userId: p.userId, permissions: p.permissions, expiresAt: p.expiresAt };
      }),
      client.onStateChange((s) => this.#onState(client, s)),
      client.onTokenChange((t) => {
        this.token = t;
        storage()?.setItem(TOKEN_KEY, t);
      }),
      client.on('auth:permissions:granted', (p) => {
        toasts.success('Permissions granted', p.permissions.join(', '));
        this.token = p.token;
        storage()?.setItem(TOKEN_KEY, p.token);
        (client.socket.auth as { token: string }).token = p.token;
        client.socket.disconnect().connect();
      }),
      client.on('auth:permissions:denied', (p) => toasts.warning('Permission request denied', p.reason)),
      // The SDK resumes by itself after a drop; say what that got us (stores reload their state on every connect).
      client.onRecovery((r) => {
        if (r.recovered) toasts.info('Reconnected', `recovered ${r.replayed} event${r.replayed === 1 ? '' : 's'} missed while offline`);
        else
          toasts.warning(
            'Reconnected — missed events are gone',
            `${r.reason === 'epoch_changed' ? 'the server’s event log was reset' : 'they are older than the server keeps'}; reloaded the current state`,
          );
      }),
    );
  }

  /** Leaves the server and returns to the connect screen (the token stays for the form). */
  disconnect(forgetToken = false): void {
    this.teardown();
    this.everConnected = false;
    this.whoami = null;
    this.session = null;
    if (forgetToken) {
      this.token = '';
      storage()?.removeItem(TOKEN_KEY);
    }
  }

  retry(): void {
    if (this.url && this.token) this.connect(this.url, this.token);
  }

  teardown(): void {
    this.session = null;
    for (const u of this.#unsubs.splice(0)) u();
    const c = this.client;
    this.client = null;
    if (c) {
      c.socket.offAny();
      c.close();
    }
    clearRestTarget();
    this.state = { status: 'disconnected' };
    this.nextRetryAt = null;
  }

  async refreshWhoami(): Promise<void> {
    try {
      this.whoami = await rest('GET /api/whoami');
    } catch {
      const c = this.client;
      if (c && c.permissions.length) this.whoami = { userId: this.whoami?.userId ?? '', permissions: c.permissions };
    }
  }

  #onState(client: ZenFlowClient, s: ConnectionState): void {
    if (this.client !== client) return;
    const prev = this.state.status;
    this.state = s;
    if (s.status === 'connected') {
      this.downSince = null;
      this.nextRetryAt = null;
      this.connectedAt = Date.now();
      this.everConnected = true;
      this.connectError = null;
      void this.#afterConnect(client);
      return;
    }
    if (prev === 'connected' || this.downSince === null) this.downSince = Date.now();
    if (s.status === 'reconnecting') {
      const attempt = s.attempt ?? 1;
      const delay = s.nextRetryInMs ?? Math.min(RECONNECT_DELAY * 2 ** Math.max(0, attempt - 1), RECONNECT_DELAY_MAX);
      this.nextRetryAt = Date.now() + delay;
    } else {
      this.nextRetryAt = null;
    }
    if (s.status === 'refused' && !this.everConnected) {
      this.connectError = s.reason ?? 'the server refused the connection';
    }
  }

  async #afterConnect(client: ZenFlowClient): Promise<void> {
    // After a reconnect the SDK restores the subscription itself, resuming where it left off;
    // subscribing again first would deliver live what the resume then replays.
    if (!this.#subscribed.has(client)) {
      this.#subscribed.add(client);
      try {
        await client.subscribe({ channels: [...CHANNELS] });
      } catch (err) {
        this.#subscribed.delete(client);
        toasts.error('Subscribe failed', err);
      }
    }
    await this.refreshWhoami();
    if (this.client !== client) return;
    for (const hook of this.#hooks) {
      try {
        hook();
      } catch (err) {
        console.error(err);
      }
    }
  }
}

export const connection = new Connection();
