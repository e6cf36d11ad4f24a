import type { z } from 'zod';
import { ipcArgs, type IpcArgs, type IpcChannel, type IpcResults } from '../../shared/bridge';
import { isTrustedSender, type SenderInfo } from './policy';

/**
 * The checks every IPC call passes before any handler runs: the sender must be our
 * window's main frame on our origin, and the arguments must match the channel's
 * schema. Kept free of Electron so both are unit-tested; ipc.ts only feeds it.
 */

export type BridgeHandlers = { [C in IpcChannel]: (...args: IpcArgs<C>) => Promise<IpcResults[C]> };
export type IpcRoute = <C extends IpcChannel>(channel: C, sender: SenderInfo, args: unknown[]) => Promise<IpcResults[C]>;

/** "url: an http:// or https:// …" — the tuple index is noise for one-argument channels. */
function describe(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.slice(1).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

export function createIpcRouter(handlers: BridgeHandlers, origins: readonly string[]): IpcRoute {
  return async (channel, sender, args) => {
    if (!isTrustedSender(sender, origins)) throw new Error(`${channel} refused: the caller is not the Zen Flow window`);
    const parsed = ipcArgs[channel].safeParse(args);
    if (!parsed.success) throw new Error(`${channel}: invalid arguments: ${describe(parsed.error)}`);
    // The mapped handler type cannot be narrowed per channel by TypeScript; the schema above guarantees the match.
    const handler = handlers[channel] as (...a: unknown[]) => Promise<IpcResults[typeof channel]>;
    return handler(...(parsed.data as unknown[]));
  };
}
