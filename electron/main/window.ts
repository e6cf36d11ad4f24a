import { readFile } from 'node:fs/promises';
import { BrowserWindow, protocol, type Session } from 'electron';
import { UI_CSP } from '../server/rest/static-ui';
import { APP_HOST, APP_SCHEME, resolveAppPath } from './app-protocol-path';

/** Must run before `app` is ready: app:// behaves like https (standard, secure origin, fetch). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
}

/** Serves the built renderer at app://zenflow/ with the same CSP the web UI gets from `zenflow serve`. */
export function serveRenderer(session: Session, rendererDir: string): void {
  session.protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('method not allowed', { status: 405 });
    const resolved = resolveAppPath(rendererDir, request.url);
    if (!resolved.ok) return new Response(resolved.reason, { status: resolved.status });
    let body: Buffer;
    try {
      body = await readFile(resolved.path);
    } catch {
      return new Response('not found', { status: 404 });
    }
    return new Response(new Uint8Array(body), {
      headers: {
        'Content-Type': resolved.mime,
        'Content-Security-Policy': UI_CSP,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Cache-Control': 'no-cache',
      },
    });
  });
}

export interface WindowOptions {
  preload: string;
  /** Vite's dev server (development only), else the app:// build. */
  devUrl: URL | null;
  devTools: boolean;
}

export function createMainWindow(options: WindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 360,
    minHeight: 560,
    show: false,
    title: 'Zen Flow Control Center',
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      devTools: options.devTools,
      // A middle click would open links in a new window outside the app's navigation guard.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(options.devUrl?.href ?? `${APP_SCHEME}://${APP_HOST}/index.html`);
  return window;
}
