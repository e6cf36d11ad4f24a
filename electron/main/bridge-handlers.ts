import { IPC, LOCAL_PROFILE_ID, type AppInfo, type ConnectionInfo } from '../../shared/bridge';
import type { Severity } from '../../shared/protocol/channels';
import type { BridgeHandlers } from './ipc-router';
import type { LocalServerHost } from './lan';
import { isExternalAllowed } from './policy';
import type { ProfileStore } from './profile-store';

/** What each bridge call does, given already-validated arguments. Electron-only effects come in as functions. */
export interface BridgeDeps {
  host: Pick<LocalServerHost, 'connection' | 'state' | 'setLan' | 'pair' | 'revokeDevice'>;
  profiles: Pick<ProfileStore, 'list' | 'save' | 'remove' | 'activate' | 'active'>;
  notify(notification: { title: string; body: string; severity: Severity }): void;
  /** Called only with allowlisted URLs. */
  openExternal(url: string): Promise<void>;
  appInfo(): AppInfo;
  /** Redeems a pairing link over a connection pinned to its fingerprint (remote-pairing.ts). */
  redeemPairing(link: string, device: string): Promise<{ url: string; token: string; fingerprint: string }>;
}

export function createBridgeHandlers(deps: BridgeDeps): BridgeHandlers {
  const connection = async (): Promise<ConnectionInfo> => {
    const active = await deps.profiles.active();
    if (active.mode === 'remote') {
      const { profile, token } = active;
      return { mode: 'remote', url: profile.url, token, profileId: profile.id, name: profile.name };
    }
    return { mode: 'local', ...(await deps.host.connection()), profileId: LOCAL_PROFILE_ID, name: 'This computer' };
  };

  return {
    [IPC.getConnection]: connection,
    [IPC.profilesList]: () => deps.profiles.list(),
    [IPC.profilesSave]: (profile) => deps.profiles.save(profile),
    [IPC.profilesRemove]: (id) => deps.profiles.remove(id),
    [IPC.profilesActivate]: async (id) => {
      await deps.profiles.activate(id);
      return connection();
    },
    [IPC.profilesPair]: async ({ link, name, device }) => {
      const paired = await deps.redeemPairing(link, device);
      return deps.profiles.save({ name, ...paired });
    },
    [IPC.lanGet]: () => deps.host.state(),
    [IPC.lanSet]: (enabled) => deps.host.setLan(enabled),
    [IPC.lanPair]: () => deps.host.pair(),
    [IPC.lanRevokeDevice]: (id) => deps.host.revokeDevice(id),
    [IPC.notify]: async (notification) => deps.notify(notification),
    [IPC.openExternal]: async (url) => {
      if (!isExternalAllowed(url)) throw new Error('refused: only allowlisted http(s) documentation and repository links open in the browser');
      await deps.openExternal(url);
    },
    [IPC.appInfo]: async () => deps.appInfo(),
  };
}
