import { Menu, type MenuItemConstructorOptions } from 'electron';
import { PROJECT_URL, SOCKET_IO_DOCS_URL } from './policy';

/** The application menu: standard roles, devtools only in development, Help links through the allowlist. */
export function buildAppMenu(options: { devTools: boolean; openLink(url: string): void }): Menu {
  const isMac = process.platform === 'darwin';
  const view: MenuItemConstructorOptions[] = [
    { role: 'reload' },
    { role: 'forceReload' },
    ...(options.devTools ? [{ role: 'toggleDevTools' } as const] : []),
    { type: 'separator' },
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' } as const] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'Documentation', click: () => options.openLink(`${PROJECT_URL}#readme`) },
        { label: 'Report an Issue', click: () => options.openLink(`${PROJECT_URL}/issues`) },
        { label: 'Socket.IO v4 Documentation', click: () => options.openLink(SOCKET_IO_DOCS_URL) },
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}
