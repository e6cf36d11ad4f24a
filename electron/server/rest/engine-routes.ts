import type { Engines } from '../../engines';
import type { CommandDispatcher } from '../dispatcher';
import type { RouteDef } from './route';

/** REST mirrors of the engine commands (PROTOCOL.md §7). */
export function engineRoutes(engines: Engines, dispatcher: CommandDispatcher): RouteDef[] {
  void engines;
  void dispatcher;
  return [];
}
