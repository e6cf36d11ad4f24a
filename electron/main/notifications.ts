import { Notification } from 'electron';
import type { Severity } from '../../shared/protocol/channels';

/** An OS notification for an alert; clicking it brings the window forward. */
export function showNotification(notification: { title: string; body: string; severity: Severity }, onClick: () => void): void {
  if (!Notification.isSupported()) return;
  const note = new Notification({
    title: notification.title,
    body: notification.body,
    urgency: notification.severity === 'critical' ? 'critical' : 'normal',
    silent: notification.severity === 'info',
  });
  note.on('click', onClick);
  note.show();
}
