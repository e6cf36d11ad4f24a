import type { ConnectionInfo, LanState, ProfileSummary, ZenFlowBridge } from '../../../shared/bridge';
import type { Severity } from '../../../shared/protocol/channels';

/**
 * The preload bridge (`window.zenflow`), present only inside the Electron app.
 * A plain browser (LAN client, `zenflow serve`) has none: every helper here is a no-op there.
 */
export type { ConnectionInfo, LanState, ProfileSummary, ZenFlowBridge };

/** The id `profiles.activate` takes for the app's own server (shared/bridge.ts LOCAL_PROFILE_ID). */
export const LOCAL_PROFILE_ID = 'local';

export function bridge(): ZenFlowBridge | null {
  const b = (globalThis as { zenflow?: unknown }).zenflow;
  return typeof b === 'object' && b !== null ? (b as ZenFlowBridge) : null;
}

export const isDesktop = (): boolean => bridge() !== null;

export async function lanGet(): Promise<LanState | null> {
  return (await bridge()?.lan.get()) ?? null;
}

export async function lanSet(enabled: boolean): Promise<LanState | null> {
  return (await bridge()?.lan.set(enabled)) ?? null;
}

/** Critical alerts also go to the OS notification centre on the desktop. */
export function notifyDesktop(title: string, body: string, severity: Severity = 'critical'): void {
  try {
    void bridge()
      ?.notify({ title: title.slice(0, 120), body: body.slice(0, 1000), severity })
      .catch(() => undefined);
  } catch {
    /* notifications are best-effort */
  }
}
