import type { ConfigEngine } from '../../engines/config/config-engine';
import type { Optimizer } from '../../engines/config/system-optimizer';
import type { SystemEngine } from '../../engines/system/system-engine';
import type { HandlersFor } from './types';

export interface SystemHandlerDeps {
  system: Pick<SystemEngine, 'getStatus' | 'recommendations'>;
  config: Pick<ConfigEngine, 'update' | 'history' | 'rollback'>;
  optimizer: Pick<Optimizer, 'optimize'>;
}

/** System status, recommendations, optimisation and configuration commands; the caller is the audit actor. */
export function systemHandlers(
  deps: SystemHandlerDeps,
): HandlersFor<'system:status:get' | 'system:recommendations:get' | 'system:optimize' | 'config:update' | 'config:history' | 'config:rollback'> {
  return {
    'system:status:get': () => deps.system.getStatus(),
    'system:recommendations:get': (args) => deps.system.recommendations(args),
    'system:optimize': (args, ctx) => deps.optimizer.optimize(args, ctx.userId),
    'config:update': (args, ctx) => deps.config.update(args, ctx.userId),
    'config:history': (args) => deps.config.history(args.component),
    'config:rollback': (args, ctx) => deps.config.rollback(args.component, args.version, ctx.userId),
  };
}
