import type { z } from 'zod';
import * as s from './commands';
import type { Scope } from './permissions';

/**
 * Every client→server command: its payload schema and the scope it needs
 * (null: any authenticated socket). The server's dispatcher and the SDK both read this table.
 */
export const COMMANDS = {
  'swarm:create': { schema: s.swarmCreateSchema, scope: 'write:swarms' },
  'swarm:delete': { schema: s.swarmIdSchema, scope: 'write:swarms' },
  'swarm:scale': { schema: s.swarmScaleSchema, scope: 'write:swarms' },
  'swarm:analyze': { schema: s.swarmAnalyzeSchema, scope: 'read:swarms' },
  'task:create': { schema: s.taskCreateSchema, scope: 'write:tasks' },
  'task:cancel': { schema: s.taskIdSchema, scope: 'write:tasks' },
  'workflow:create': { schema: s.workflowCreateSchema, scope: 'write:tasks' },
  'task:execute:immediate': { schema: s.executeImmediateSchema, scope: 'write:tasks' },
  'neural:training:start': { schema: s.trainingStartSchema, scope: 'admin:neural' },
  'neural:training:stop': { schema: s.runIdSchema, scope: 'admin:neural' },
  'system:status:get': { schema: s.emptySchema, scope: 'read:system' },
  'system:recommendations:get': { schema: s.recommendationsGetSchema, scope: 'read:system' },
  'system:optimize': { schema: s.systemOptimizeSchema, scope: 'admin:system' },
  'config:update': { schema: s.configUpdateSchema, scope: 'admin:system' },
  'config:history': { schema: s.configHistorySchema, scope: 'admin:system' },
  'config:rollback': { schema: s.configRollbackSchema, scope: 'admin:system' },
  subscribe: { schema: s.subscribeSchema, scope: null },
  unsubscribe: { schema: s.subscribeSchema, scope: null },
  'subscribe:filtered': { schema: s.subscribeFilteredSchema, scope: null },
  'subscription:update': { schema: s.subscriptionUpdateSchema, scope: null },
  'configure:batching': { schema: s.configureBatchingSchema, scope: null },
  'configure:rate-limit': { schema: s.configureRateLimitSchema, scope: null },
  'enable:performance:tracking': { schema: s.performanceTrackingSchema, scope: null },
  'auth:refresh': { schema: s.authRefreshSchema, scope: null },
  'auth:permissions:request': { schema: s.permissionsRequestSchema, scope: null },
  'auth:permissions:decide': { schema: s.permissionsDecideSchema, scope: 'admin:system' },
} as const satisfies Record<string, { schema: z.ZodType; scope: Scope | null }>;

export type CommandName = keyof typeof COMMANDS;
export type CommandInput<C extends CommandName> = z.input<(typeof COMMANDS)[C]['schema']>;
export type CommandArgs<C extends CommandName> = z.output<(typeof COMMANDS)[C]['schema']>;
export const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];
