import type { SwarmEngine } from '../../engines/swarm/swarm-engine';
import type { HandlersFor } from './types';

/** swarm:* commands (docs/protocol.md §7); the engine validates against live state and commits before returning. */
export function swarmHandlers(engine: SwarmEngine): HandlersFor<'swarm:create' | 'swarm:delete' | 'swarm:scale' | 'swarm:analyze'> {
  return {
    'swarm:create': (args) => engine.createSwarm(args),
    'swarm:delete': (args) => engine.deleteSwarm(args.swarmId),
    'swarm:scale': (args) => engine.scaleSwarm(args),
    'swarm:analyze': (args) => engine.analyzeSwarm(args),
  };
}
