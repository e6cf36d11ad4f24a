import { isLoopbackHost } from '../server/network';
import { DESKTOP_ORIGIN } from '../server/options';

/**
 * What the shell trusts, as pure functions over URLs (no Electron here, so all of it
 * is unit-tested under Node). The window code only feeds these events' URLs.
 */

export const APP_ORIGIN = DESKTOP_ORIGIN;

/**
 * `scheme://host[:port]` of a hierarchical URL, or null. Computed by hand because
 * WHATWG URL reports origin "null" for non-special schemes such as app:. URLs
 * carrying credentials get null: nothing we load has them.
 */
export function originOf(url: string): string | null {
  if (!URL.canParse(url)) return null;
  const parsed = new URL(url);
  if (!parsed.host || parsed.username || parsed.password) return null;
  return `${parsed.protocol}//${parsed.host}`;
}

/** The origins our renderer is served from: the app protocol, plus Vite's dev server in development. */
export function appOrigins(devUrl: URL | null): string[] {
  return devUrl ? [APP_ORIGIN, devUrl.origin] : [APP_ORIGIN];
}

export interface SenderInfo {
  /** URL of the frame that sent the message; null when the frame is gone. */
  frameUrl: string | null;
  /** The frame is the top frame of its page. */
  isMainFrame: boolean;
  /** The page belongs to our main window (not devtools, not another window). */
  fromAppWindow: boolean;
}

/** Every IPC handler refuses a sender that is not the main frame of our window showing our origin. */
export function isTrustedSender(sender: SenderInfo, origins: readonly string[]): boolean {
  if (!sender.fromAppWindow || !sender.isMainFrame || sender.frameUrl === null) return false;
  const origin = originOf(sender.frameUrl);
  return origin !== null && origins.includes(origin);
}

/** A link the app may hand to the system browser: exact origin, path under the prefix. */
export interface ExternalLinkRule {
  origin: string;
  pathPrefix: string;
}

/** The project's repository; its README and docs are the documentation the Help menu opens. */
export const PROJECT_URL = 'https://github.com/zenflow-control-center/zenflow-control-center';
export const SOCKET_IO_DOCS_URL = 'https://socket.io/docs/v4/';

/** The project's documentation and repository, and the Socket.IO docs docs/protocol.md builds on. */
export const EXTERNAL_LINKS: readonly ExternalLinkRule[] = [
  { origin: 'https://github.com', pathPrefix: '/zenflow-control-center/' },
  { origin: 'https://socket.io', pathPrefix: '/docs/v4/' },
];

export function isExternalAllowed(url: string, rules: readonly ExternalLinkRule[] = EXTERNAL_LINKS): boolean {
  if (url.length > 2048 || !URL.canParse(url)) return false;
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return false;
  const origin = originOf(url);
  return rules.some((rule) => rule.origin === origin && parsed.pathname.startsWith(rule.pathPrefix));
}

export type NavigationDecision = 'allow' | 'open-external' | 'deny';

/** will-navigate / will-redirect / window.open: stay on our origin; allowlisted links go to the browser. */
export function navigationDecision(url: string, origins: readonly string[], rules: readonly ExternalLinkRule[] = EXTERNAL_LINKS): NavigationDecision {
  const origin = originOf(url);
  if (origin !== null && origins.includes(origin)) return 'allow';
  return isExternalAllowed(url, rules) ? 'open-external' : 'deny';
}

/** Notifications and clipboard writes (copy a URL or pairing code), only for our own pages; reading the clipboard, camera, geolocation and the rest are denied. */
const GRANTED_PERMISSIONS = new Set(['notifications', 'clipboard-sanitized-write']);

export function isPermissionAllowed(permission: string, requestingUrl: string, origins: readonly string[]): boolean {
  const origin = originOf(requestingUrl);
  return GRANTED_PERMISSIONS.has(permission) && origin !== null && origins.includes(origin);
}

/**
 * electron-vite's dev server URL, trusted only in an unpackaged app and only on
 * loopback over http: a packaged app must never load a page named by an env var.
 */
export function devRendererUrl(value: string | undefined, packaged: boolean): URL | null {
  if (packaged || !value || !URL.canParse(value)) return null;
  const url = new URL(value);
  return url.protocol === 'http:' && isLoopbackHost(url.hostname) ? url : null;
}
