import type { CommandName } from './command-table';
import type { PongValue } from './commands';
import type { EventPayload, ServerEventName } from './events';

/** Socket.IO event maps, declared once and used by the server and every TypeScript client. */
export type ServerToClientEvents = { [E in ServerEventName]: (payload: EventPayload<E>) => void } & {
  pong: (value: PongValue) => void;
};

/** Commands take `(payload?, ack?)`; the ack is always the last argument (docs/protocol.md §4). */
export type ClientToServerEvents = { [C in CommandName]: (...args: unknown[]) => void } & {
  pong: (value: PongValue) => void;
};

export type InterServerEvents = Record<string, never>;
