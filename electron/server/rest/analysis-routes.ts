import type { CommandDispatcher } from '../dispatcher';
import { defineRoute, type RouteDef } from './route';

/** Code analysis over REST, through the dispatcher like the socket command. */
export function analysisRoutes(dispatcher: CommandDispatcher): RouteDef[] {
  return [
    defineRoute('POST /api/analysis', {
      summary: 'task:execute:immediate over REST { type: "code-analysis", input, filename?, priority? } → { analysis, confidence }',
      access: 'write:tasks',
      command: 'task:execute:immediate',
      handler: ({ body }, ctx) => dispatcher.invoke('task:execute:immediate', body, ctx),
    }),
  ];
}
