import { app, shell, type Session } from 'electron';
import { isPermissionAllowed, navigationDecision } from './policy';

/**
 * Locks down every web contents the app ever creates (our window included):
 * no webviews, no navigation off our origin, no new windows, no permissions but
 * notifications. Allowlisted links go to the system browser instead.
 */
export function installSecurity(session: Session, origins: readonly string[]): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.on('will-navigate', (event) => {
      const decision = navigationDecision(event.url, origins);
      if (decision === 'allow') return;
      event.preventDefault();
      if (decision === 'open-external') void shell.openExternal(event.url);
    });
    // A redirect is not a user's click: never follow it off our origin, never open it elsewhere.
    contents.on('will-redirect', (event) => {
      if (navigationDecision(event.url, origins) !== 'allow') event.preventDefault();
    });
    contents.setWindowOpenHandler(({ url }) => {
      if (navigationDecision(url, []) === 'open-external') void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
  session.setPermissionRequestHandler((_contents, permission, callback, details) => callback(isPermissionAllowed(permission, details.requestingUrl, origins)));
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isPermissionAllowed(permission, requestingOrigin, origins));
}
