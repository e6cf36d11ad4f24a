import type { CommandName } from './command-table';
import type { EventPayload } from './events';
import type { Recovery, Swarm, SubscriptionState, Task, Workflow } from './models';

/** What each command's ack resolves with on success (docs/protocol.md §7). */
export interface CommandResults {
  'swarm:create': Swarm;
  'swarm:delete': Swarm;
  'swarm:scale': Swarm;
  'swarm:analyze': { swarmId: string; efficiency: number; bottlenecks: unknown[]; metrics?: Record<string, unknown> };
  'task:create': Task;
  'task:cancel': Task;
  'workflow:create': Workflow;
  'task:execute:immediate': { analysis: Record<string, unknown>; confidence: number };
  'neural:training:start': { runId: string; networkId: string; status: string };
  'neural:training:stop': Record<string, unknown> & { runId: string; status: string };
  'system:status:get': EventPayload<'system:status'>;
  'system:recommendations:get': { recommendations: Record<string, unknown>[] };
  'system:optimize': { applied: Record<string, unknown>[]; skipped: Record<string, unknown>[] };
  'config:update': Record<string, unknown>;
  'config:history': { component: string; entries: Record<string, unknown>[] };
  'config:rollback': Record<string, unknown>;
  subscribe: SubscriptionState & { recovery?: Recovery };
  unsubscribe: SubscriptionState;
  'subscribe:filtered': SubscriptionState;
  'subscription:update': SubscriptionState;
  'configure:batching': Record<string, unknown>;
  'configure:rate-limit': Record<string, unknown>;
  'enable:performance:tracking': Record<string, unknown>;
  'auth:refresh': { token: string; expiresAt: number };
  'auth:permissions:request': { requestId: string; status: 'pending' };
  'auth:permissions:decide': { requestId: string; status: 'approved' | 'denied' };
}

export type CommandResult<C extends CommandName> = CommandResults[C];
