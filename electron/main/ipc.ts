import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { IPC } from '../../shared/bridge';
import { createIpcRouter, type BridgeHandlers } from './ipc-router';
import type { SenderInfo } from './policy';

/** One ipcMain.handle per bridge channel; ipc-router checks the sender and the payload before any handler runs. */
export function registerIpc(handlers: BridgeHandlers, origins: readonly string[], isAppWindow: (contents: WebContents) => boolean): void {
  const route = createIpcRouter(handlers, origins);
  for (const channel of Object.values(IPC)) {
    ipcMain.handle(channel, (event, ...args: unknown[]) => route(channel, senderInfo(event, isAppWindow), args));
  }
}

function senderInfo(event: IpcMainInvokeEvent, isAppWindow: (contents: WebContents) => boolean): SenderInfo {
  const frame = event.senderFrame;
  const live = frame !== null && !frame.detached;
  return {
    frameUrl: live ? frame.url : null,
    isMainFrame: live && frame.parent === null && frame.frameTreeNodeId === event.sender.mainFrame.frameTreeNodeId,
    fromAppWindow: isAppWindow(event.sender),
  };
}
