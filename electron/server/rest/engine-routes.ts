import type { Engines } from '../../engines';
import type { CommandDispatcher } from '../dispatcher';
import { analysisRoutes } from './analysis-routes';
import { neuralRoutes } from './neural-routes';
import type { RouteDef } from './route';
import { swarmRoutes } from './swarm-routes';
import { systemRoutes } from './system-routes';

/** REST mirrors of the engine commands (docs/protocol.md §7). */
export function engineRoutes(engines: Engines, dispatcher: CommandDispatcher): RouteDef[] {
  return [...systemRoutes(engines, dispatcher), ...neuralRoutes(engines, dispatcher), ...analysisRoutes(dispatcher), ...swarmRoutes(engines, dispatcher)];
}
