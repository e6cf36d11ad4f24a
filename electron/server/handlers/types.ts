import type { CommandArgs, CommandName } from '../../../shared/protocol/command-table';
import type { Scope } from '../../../shared/protocol/permissions';
import type { CommandResult } from '../../../shared/protocol/results';

/** Who is calling: the same for a socket command and its REST mirror. */
export interface CommandContext {
  userId: string;
  tokenId: string;
  /** Who pays for the work: the token's family (refreshed and granted tokens share it). */
  principal: string;
  scopes: ReadonlySet<Scope>;
  /** The calling socket's id, when the command came over Socket.IO. */
  socketId?: string;
  transport: 'socket' | 'rest';
}

/**
 * A command handler gets the payload already validated by the command's schema
 * and the permission already checked. It returns the ack's result object, or throws
 * a ProtocolError to refuse. It must only resolve once the command's effects are durable.
 */
export type CommandHandler<C extends CommandName> = (args: CommandArgs<C>, ctx: CommandContext) => CommandResult<C> | Promise<CommandResult<C>>;

/** The handlers of some commands: what each handler module returns. */
export type HandlersFor<K extends CommandName> = { [C in K]: CommandHandler<C> };
/** Every command's handler: the server's table, where a missing one is a compile error. */
export type AllCommandHandlers = HandlersFor<CommandName>;
/** The table as the dispatcher holds it (filled once the socket layer exists). */
export type CommandHandlers = Partial<AllCommandHandlers>;
