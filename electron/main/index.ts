import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, Menu, session, shell, type BrowserWindow } from 'electron';
import { openSecretStore } from '../store/secret-store';
import { createBridgeHandlers } from './bridge-handlers';
import { installCertificatePinning } from './certificates';
import { registerIpc } from './ipc';
import { LocalServerHost } from './lan';
import { buildAppMenu } from './menu';
import { showNotification } from './notifications';
import { appOrigins, devRendererUrl, isExternalAllowed } from './policy';
import { ProfileStore } from './profile-store';
import { redeemPairingLink } from './remote-pairing';
import { installSecurity } from './security';
import { createTray } from './tray';
import { createMainWindow, registerAppScheme, serveRenderer } from './window';

/** App lifecycle only; every decision lives in the Electron-free modules beside this one. */

/** out/, holding main/, preload/ and renderer/ side by side. */
const OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

registerAppScheme();
app.enableSandbox();

async function start(): Promise<void> {
  await app.whenReady();
  const dataDir = app.getPath('userData');
  const devUrl = devRendererUrl(process.env.ELECTRON_RENDERER_URL, app.isPackaged);
  const origins = appOrigins(devUrl);
  const rendererDir = join(OUT_DIR, 'renderer');

  installSecurity(session.defaultSession, origins);
  serveRenderer(session.defaultSession, rendererDir);

  const secretStore = await openSecretStore(dataDir);
  const host = new LocalServerHost({ dataDir, secretStore, allowedOrigins: devUrl ? [devUrl.origin] : [], webRoot: rendererDir });
  await host.start();
  const profiles = new ProfileStore(join(dataDir, 'profiles.json'), secretStore);

  let window: BrowserWindow | null = null;
  installCertificatePinning(session.defaultSession, { localFingerprint: () => host.fingerprint, profiles, window: () => window });
  const show = () => {
    if (!window || window.isDestroyed()) {
      window = createMainWindow({ preload: join(OUT_DIR, 'preload', 'index.cjs'), devUrl, devTools: !app.isPackaged });
    } else {
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
    }
  };
  const openLink = (url: string) => {
    if (isExternalAllowed(url)) void shell.openExternal(url);
  };

  registerIpc(
    createBridgeHandlers({
      host,
      profiles,
      notify: (notification) => showNotification(notification, show),
      openExternal: (url) => shell.openExternal(url),
      redeemPairing: redeemPairingLink,
      appInfo: () => ({
        name: app.getName(),
        version: app.getVersion(),
        electron: process.versions.electron,
        chrome: process.versions.chrome,
        node: process.versions.node,
        platform: process.platform,
        dataDir,
        secretStore: secretStore.kind,
      }),
    }),
    origins,
    (contents) => window !== null && !window.isDestroyed() && contents.id === window.webContents.id,
  );
  Menu.setApplicationMenu(buildAppMenu({ devTools: !app.isPackaged, openLink }));
  const disposeTray = createTray(host, { show, quit: () => app.quit() });

  app.on('second-instance', show);
  app.on('activate', show);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  // Quit waits for the server to tell its sockets and close the database, then quits for real.
  let closed = false;
  let closing: Promise<void> | null = null;
  app.on('before-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    closing ??= host
      .close()
      .catch((err: unknown) => console.error('closing the local server failed', err))
      .finally(() => {
        closed = true;
        disposeTray();
        app.quit();
      });
  });
  show();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  start().catch((err: unknown) => {
    dialog.showErrorBox('Zen Flow could not start', err instanceof Error ? err.message : String(err));
    app.exit(1);
  });
}
