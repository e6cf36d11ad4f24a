import type { CommandInput, CommandName } from './command-table';
import type { PongValue } from './commands';
import type { ErrorResponse } from './errors';
import type { EventPayload, ServerEventName } from './events';
import type { CommandResult } from './results';

/** Socket.IO event maps, declared once and used by the server and every TypeScript client. */
export type ServerToClientEvents = { [E in Exclude<ServerEventName, 'ping'>]: (payload: EventPayload<E>) => void } & {
  /** A client acknowledges the application ping; the server measures the round trip (docs/protocol.md §6). */
  ping: (payload: EventPayload<'ping'>, ack: () => void) => void;
  pong: (value: PongValue) => void;
};

/** What a command's ack is called with: its result, or the docs/protocol.md §4 error envelope. */
export type CommandResponse<C extends CommandName> = CommandResult<C> | ErrorResponse;
export type CommandAck<C extends CommandName> = (response: CommandResponse<C>) => void;

/**
 * Commands take `(payload, ack)`; the ack is always the last argument (docs/protocol.md §4), and a
 * command without a payload may be sent with the ack alone. The server still validates every
 * payload: these types describe honest clients, not what arrives.
 */
export type ClientToServerEvents = { [C in CommandName]: (payload: CommandInput<C>, ack: CommandAck<C>) => void } & {
  pong: (value: PongValue) => void;
};

export type InterServerEvents = Record<string, never>;
