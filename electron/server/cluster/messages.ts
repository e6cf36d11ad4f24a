import { z } from 'zod';

/** What an edge forwards to the core over Redis pub/sub (docs/cluster.md). */
export const forwardSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('command'),
    id: z.string(),
    node: z.string(),
    name: z.string(),
    payload: z.unknown(),
    ctx: z.object({ userId: z.string(), tokenId: z.string(), principal: z.string(), scopes: z.array(z.string()), transport: z.enum(['socket', 'rest']) }),
  }),
  z.object({
    kind: z.literal('rest'),
    id: z.string(),
    node: z.string(),
    method: z.enum(['GET', 'POST', 'PUT', 'DELETE']),
    url: z.string(),
    headers: z.record(z.string(), z.string()),
    body: z.string().optional(),
    remoteAddress: z.string(),
  }),
]);
export type Forward = z.infer<typeof forwardSchema>;
type Distribute<T> = T extends unknown ? Omit<T, 'id' | 'node'> : never;
export type ForwardBody = Distribute<Forward>;

/** The core's answer; `seq` is its log's newest seq once the answer's events are in the stream. */
export const replySchema = z.object({
  id: z.string(),
  seq: z.number(),
  result: z.unknown().optional(),
  status: z.number().optional(),
  contentType: z.string().optional(),
  body: z.string().optional(),
});
export type Reply = z.infer<typeof replySchema>;
