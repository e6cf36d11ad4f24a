import type { SwarmEngine } from '../../engines/swarm/swarm-engine';
import type { HandlersFor } from './types';

/** task:create, task:cancel and workflow:create (docs/protocol.md §7); task:execute:immediate lives with the code analysis. */
export function taskHandlers(engine: SwarmEngine): HandlersFor<'task:create' | 'task:cancel' | 'workflow:create'> {
  return {
    'task:create': (args) => engine.createTask(args),
    'task:cancel': (args) => engine.cancelTask(args.taskId),
    'workflow:create': (args) => engine.createWorkflow(args),
  };
}
