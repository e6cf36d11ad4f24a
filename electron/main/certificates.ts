import { dialog, type BrowserWindow, type Session } from 'electron';
import { certificatePrompt, decideCertificate, fingerprintFromElectron, type CertificateVerdict } from './certificate-trust';
import type { ProfileStore } from './profile-store';

/** Chromium's verify-proc results: 0 accepts, -2 fails the request (net::ERR_FAILED). */
const ACCEPT = 0;
const REFUSE = -2;

export interface CertificatePinningDeps {
  /** The app's own LAN server certificate, while LAN hosting is on. */
  localFingerprint(): string | null;
  profiles: Pick<ProfileStore, 'pins' | 'pin'>;
  window(): BrowserWindow | null;
}

/**
 * Applies certificate-trust decisions to the window's session: pinned profiles, trust on first
 * use, and a prompt when a pinned server's certificate changes. One prompt per server and
 * certificate at a time, however many requests are waiting on it.
 */
export function installCertificatePinning(session: Session, deps: CertificatePinningDeps): void {
  const prompts = new Map<string, Promise<boolean>>();
  const ask = (verdict: Extract<CertificateVerdict, { action: 'ask' }>): Promise<boolean> => {
    const key = `${verdict.profile.id} ${verdict.fingerprint}`;
    let pending = prompts.get(key);
    if (!pending) {
      const options = certificatePrompt(verdict);
      const win = deps.window();
      pending = (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options))
        .then(async ({ response }) => {
          if (response !== 1) return false;
          await deps.profiles.pin(verdict.profile.id, verdict.fingerprint);
          return true;
        })
        .finally(() => prompts.delete(key));
      prompts.set(key, pending);
    }
    return pending;
  };

  session.setCertificateVerifyProc((request, callback) => {
    const fingerprint = fingerprintFromElectron(request.certificate.fingerprint);
    if (!fingerprint) return callback(REFUSE);
    const verdict = decideCertificate(
      { hostname: request.hostname, fingerprint, chromiumVerified: request.errorCode === 0 },
      { localFingerprint: deps.localFingerprint(), profiles: deps.profiles.pins() },
    );
    if (verdict.action !== 'ask') return callback(verdict.action === 'accept' ? ACCEPT : REFUSE);
    ask(verdict).then(
      (trusted) => callback(trusted ? ACCEPT : REFUSE),
      () => callback(REFUSE),
    );
  });
}
