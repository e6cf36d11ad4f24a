import type { NeuralEngine } from '../../engines/neural/neural-engine';
import type { HandlersFor } from './types';

/** neural:training:start / stop (docs/protocol.md §7); the dispatcher has checked admin:neural and the payload. */
export function neuralHandlers(engine: Pick<NeuralEngine, 'startTraining' | 'stopTraining'>): HandlersFor<'neural:training:start' | 'neural:training:stop'> {
  return {
    'neural:training:start': (args) => engine.startTraining(args),
    'neural:training:stop': (args) => engine.stopTraining(args.runId),
  };
}
