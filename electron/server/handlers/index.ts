import type { Engines } from '../../engines';
import { analysisHandlers } from './analysis';
import { neuralHandlers } from './neural';
import { swarmHandlers } from './swarms';
import { systemHandlers } from './system';
import { taskHandlers } from './tasks';

/** Command handlers backed by the engines. */
export function engineHandlers(engines: Engines) {
  return {
    ...systemHandlers(engines),
    ...neuralHandlers(engines.neural),
    ...analysisHandlers(engines.analysis),
    ...swarmHandlers(engines.swarms),
    ...taskHandlers(engines.swarms),
  };
}
