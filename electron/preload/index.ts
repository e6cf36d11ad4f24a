import { contextBridge, ipcRenderer } from 'electron';
import type { IpcArgsInput, IpcChannel, IpcResults, ZenFlowBridge } from '../../shared/bridge';

/**
 * Sandboxed preload: exposes exactly the ZenFlowBridge functions, each bound to its
 * own channel; ipcRenderer itself never reaches the page. A sandboxed preload can
 * require nothing but 'electron', so only types come from shared/bridge (its values
 * would pull in zod): the channel literals below are checked against IpcChannel.
 */
const invoke = <C extends IpcChannel>(channel: C, ...args: IpcArgsInput<C>): Promise<IpcResults[C]> => ipcRenderer.invoke(channel, ...args) as Promise<IpcResults[C]>;

const bridge: ZenFlowBridge = {
  getConnection: () => invoke('zenflow:connection:get'),
  profiles: {
    list: () => invoke('zenflow:profiles:list'),
    save: (profile) => invoke('zenflow:profiles:save', profile),
    remove: (id) => invoke('zenflow:profiles:remove', id),
    activate: (id) => invoke('zenflow:profiles:activate', id),
    pair: (input) => invoke('zenflow:profiles:pair', input),
  },
  lan: {
    get: () => invoke('zenflow:lan:get'),
    set: (enabled) => invoke('zenflow:lan:set', enabled),
    pair: () => invoke('zenflow:lan:pair'),
    revokeDevice: (id) => invoke('zenflow:lan:revoke-device', id),
  },
  notify: (notification) => invoke('zenflow:notify', notification),
  openExternal: (url) => invoke('zenflow:open-external', url),
  appInfo: () => invoke('zenflow:app-info'),
};

contextBridge.exposeInMainWorld('zenflow', bridge);
