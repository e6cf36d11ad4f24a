import { z } from 'zod';
import { SEVERITIES, type Severity } from './protocol/channels';
import { parsePairingLink } from './pairing-link';
import { isFingerprintSpelling, normalizeFingerprint } from './sdk/tls-pin';

/**
 * The one API the desktop renderer may call in the main process (`window.zenflow`,
 * exposed by electron/preload). Each method is one IPC channel; the main process
 * validates every payload with the schema below and every sender's frame.
 * A plain browser (LAN client, `zenflow serve`) has no bridge.
 */

/** The id `profiles.activate` takes for the app's own server. */
export const LOCAL_PROFILE_ID = 'local';

export const IPC = {
  getConnection: 'zenflow:connection:get',
  profilesList: 'zenflow:profiles:list',
  profilesSave: 'zenflow:profiles:save',
  profilesRemove: 'zenflow:profiles:remove',
  profilesActivate: 'zenflow:profiles:activate',
  profilesPair: 'zenflow:profiles:pair',
  lanGet: 'zenflow:lan:get',
  lanSet: 'zenflow:lan:set',
  lanPair: 'zenflow:lan:pair',
  lanRevokeDevice: 'zenflow:lan:revoke-device',
  notify: 'zenflow:notify',
  openExternal: 'zenflow:open-external',
  appInfo: 'zenflow:app-info',
} as const;
export type IpcChannel = (typeof IPC)[keyof typeof IPC];

export const profileIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'a profile id: 1–64 letters, digits, - or _')
  .refine((id) => id !== LOCAL_PROFILE_ID, `"${LOCAL_PROFILE_ID}" is reserved for this computer's server`);

/** A Zen Flow server address: http(s) only, no credentials, query or fragment; kept without a trailing slash. */
export const serverUrlSchema = z
  .string()
  .trim()
  .max(2048)
  .refine((value) => {
    if (!URL.canParse(value)) return false;
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password && !url.search && !url.hash;
  }, 'an http:// or https:// server address without credentials, query or fragment')
  .transform((value) => new URL(value).href.replace(/\/+$/, ''));

/** A SHA-256 certificate fingerprint in any spelling, kept as `AB:CD:…` (docs/protocol.md §11). */
export const fingerprintSchema = z.string().trim().max(200).refine(isFingerprintSpelling, 'a SHA-256 fingerprint: 32 hex pairs such as AB:CD:…').transform(normalizeFingerprint);

export const profileInputSchema = z.strictObject({
  /** Absent: a new profile. */
  id: profileIdSchema.optional(),
  name: z.string().trim().min(1).max(80),
  url: serverUrlSchema,
  /** Absent on an update: keep the stored token. */
  token: z.string().min(1).max(8192).regex(/^\S+$/, 'a token has no whitespace').optional(),
  /** The server certificate to pin (from a pairing link); absent: trust on first use. */
  fingerprint: fingerprintSchema.optional(),
});

/** Pairing with a LAN host from its link (`https://…/?pair=CODE&fp=FINGERPRINT`): the main process pins the fingerprint. */
export const profilePairSchema = z.strictObject({
  link: z
    .string()
    .trim()
    .max(2048)
    .refine((v) => {
      const link = parsePairingLink(v);
      return link !== null && link.url.startsWith('https:') && link.code !== undefined && link.fingerprint !== undefined;
    }, 'a pairing link from the host: https://…/?pair=CODE&fp=FINGERPRINT'),
  name: z.string().trim().min(1).max(80),
  device: z.string().trim().min(1).max(64).default('Zen Flow desktop'),
});

export const notificationSchema = z.strictObject({
  title: z.string().trim().min(1).max(120),
  body: z.string().max(1000),
  severity: z.enum(SEVERITIES),
});

/** LAN device ids as `lan.get()` lists them. */
export const deviceIdSchema = z.string().regex(/^lan:[a-f0-9]{8}:[^\p{Cc}]{1,64}$/u, 'a LAN device id from lan.get()');

/** Argument tuples per channel: a payload with extra or missing arguments is refused as a whole. */
export const ipcArgs = {
  [IPC.getConnection]: z.tuple([]),
  [IPC.profilesList]: z.tuple([]),
  [IPC.profilesSave]: z.tuple([profileInputSchema]),
  [IPC.profilesRemove]: z.tuple([profileIdSchema]),
  [IPC.profilesActivate]: z.tuple([z.union([z.literal(LOCAL_PROFILE_ID), profileIdSchema])]),
  [IPC.profilesPair]: z.tuple([profilePairSchema]),
  [IPC.lanGet]: z.tuple([]),
  [IPC.lanSet]: z.tuple([z.boolean()]),
  [IPC.lanPair]: z.tuple([]),
  [IPC.lanRevokeDevice]: z.tuple([deviceIdSchema]),
  [IPC.notify]: z.tuple([notificationSchema]),
  [IPC.openExternal]: z.tuple([z.string().max(2048)]),
  [IPC.appInfo]: z.tuple([]),
} as const satisfies Record<IpcChannel, z.ZodTuple>;

export type IpcArgsInput<C extends IpcChannel> = z.input<(typeof ipcArgs)[C]>;
export type IpcArgs<C extends IpcChannel> = z.output<(typeof ipcArgs)[C]>;
export type ProfileInput = z.input<typeof profileInputSchema>;
export type NotificationInput = z.input<typeof notificationSchema>;
export type ProfilePairInput = z.input<typeof profilePairSchema>;

export interface ConnectionInfo {
  mode: 'local' | 'remote';
  /** Base URL for the client SDK. */
  url: string;
  /** Null when a remote profile has no stored token: ask the user for one. */
  token: string | null;
  profileId: string;
  name: string;
}

/** A saved remote server. Tokens never leave the main process in a list; `hasToken` says whether one is stored. */
export interface ProfileSummary {
  id: string;
  name: string;
  url: string;
  /** The pinned server certificate, or null until first use. */
  fingerprint: string | null;
  hasToken: boolean;
  /** No profile active means the app's own server is. */
  active: boolean;
}

export interface LanDevice {
  id: string;
  name: string;
  permissions: string[];
  pairedAt: number;
  expiresAt: number;
}

export interface LanState {
  enabled: boolean;
  /** Addresses LAN clients open in a browser. */
  urls: string[];
  /** Sockets connected from other machines. */
  clients: number;
  /** SHA-256 fingerprint of the certificate LAN clients see (`AB:CD:…`); null while LAN is off. */
  fingerprint: string | null;
  /** A live single-use code a LAN device trades for a read-only token at `POST /api/pair`. */
  pairingCode?: string;
  pairingExpiresAt?: number;
  devices: LanDevice[];
}

export interface AppInfo {
  name: string;
  version: string;
  electron: string;
  chrome: string;
  node: string;
  platform: string;
  dataDir: string;
  /** Where the app's secrets live; profile tokens are only saved in the keychain. */
  secretStore: 'keychain' | 'file';
}

export interface IpcResults {
  [IPC.getConnection]: ConnectionInfo;
  [IPC.profilesList]: ProfileSummary[];
  [IPC.profilesSave]: ProfileSummary;
  [IPC.profilesRemove]: void;
  [IPC.profilesActivate]: ConnectionInfo;
  [IPC.profilesPair]: ProfileSummary;
  [IPC.lanGet]: LanState;
  [IPC.lanSet]: LanState;
  [IPC.lanPair]: LanState;
  [IPC.lanRevokeDevice]: LanState;
  [IPC.notify]: void;
  [IPC.openExternal]: void;
  [IPC.appInfo]: AppInfo;
}

export interface ZenFlowBridge {
  /** The server the renderer should connect to now (local, or the active remote profile). */
  getConnection(): Promise<ConnectionInfo>;
  profiles: {
    list(): Promise<ProfileSummary[]>;
    save(profile: ProfileInput): Promise<ProfileSummary>;
    remove(id: string): Promise<void>;
    /** `'local'` switches back to this computer's server; resolves with where to connect. */
    activate(id: string): Promise<ConnectionInfo>;
    /** Trades a pairing link's code for a token over a connection pinned to the link's fingerprint, and saves the profile. */
    pair(input: ProfilePairInput): Promise<ProfileSummary>;
  };
  lan: {
    get(): Promise<LanState>;
    /** Restarts the local server on 0.0.0.0 (on) or 127.0.0.1 (off); connected sockets reconnect. */
    set(enabled: boolean): Promise<LanState>;
    /** Mints a fresh pairing code, replacing any live one. */
    pair(): Promise<LanState>;
    /** Revokes every token of that device; its live sockets are disconnected. */
    revokeDevice(id: string): Promise<LanState>;
  };
  notify(notification: { title: string; body: string; severity: Severity }): Promise<void>;
  /** Opens an allowlisted documentation or repository link in the system browser; anything else is refused. */
  openExternal(url: string): Promise<void>;
  appInfo(): Promise<AppInfo>;
}
