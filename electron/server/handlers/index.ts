import type { Engines } from '../../engines';
import type { CommandHandlers } from './types';

/** Command handlers backed by the engines. */
export function engineHandlers(engines: Engines): CommandHandlers {
  void engines;
  return {};
}
