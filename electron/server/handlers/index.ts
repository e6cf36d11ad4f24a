import type { Engines } from '../../engines';
import { analysisHandlers } from './analysis';
import { neuralHandlers } from './neural';
import { systemHandlers } from './system';
import type { CommandHandlers } from './types';

/** Command handlers backed by the engines. */
export function engineHandlers(engines: Engines): CommandHandlers {
  return {
    ...systemHandlers(engines),
    ...neuralHandlers(engines.neural),
    ...analysisHandlers(engines.analysis),
  };
}
