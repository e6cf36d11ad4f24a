import { Menu, nativeImage, Tray } from 'electron';
import type { LocalServerHost } from './lan';
import { dotBitmap, trayStatus, type TrayTone } from './tray-status';

const ICON_SIZE = 16;
/** Linux tray menus are static; re-read the client count this often. */
const REFRESH_MS = 10_000;

const icon = (tone: TrayTone) => nativeImage.createFromBitmap(dotBitmap(ICON_SIZE, tone), { width: ICON_SIZE, height: ICON_SIZE });

/** Tray: a coloured status dot, the server's address and LAN state, Show and Quit. Returns its disposer. */
export function createTray(host: LocalServerHost, actions: { show(): void; quit(): void }): () => void {
  const tray = new Tray(icon('stopped'));
  const refresh = async () => {
    const lan = await host.state().catch(() => null);
    const status = trayStatus(host.url, lan);
    tray.setImage(icon(status.tone));
    tray.setToolTip(status.tooltip);
    tray.setContextMenu(
      Menu.buildFromTemplate([
        ...status.lines.map((label) => ({ label, enabled: false })),
        { type: 'separator' },
        { label: 'Show Zen Flow', click: actions.show },
        { label: 'Quit', click: actions.quit },
      ]),
    );
  };
  const unsubscribe = host.onChange(() => void refresh());
  const timer = setInterval(() => void refresh(), REFRESH_MS);
  tray.on('click', actions.show);
  void refresh();
  return () => {
    clearInterval(timer);
    unsubscribe();
    tray.destroy();
  };
}
