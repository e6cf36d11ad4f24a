import { z } from 'zod';
import { SEVERITIES } from './channels';
import { CONFIG_COMPONENTS } from './config-schemas';
import { loggedEventViewSchema, swarmSchema, taskSchema, tokenIssuedSchema, workflowSchema } from './models';
import { datasetSummarySchema, epochRecordSchema, networkViewSchema, percent, RESULT_SCHEMAS, runViewSchema } from './results';

/**
 * The body every REST route answers with on success, keyed `METHOD /path` (docs/protocol.md §7).
 * Routes are declared against these keys, so a handler returning something else does not
 * compile, and /api/openapi.json documents each response from the same schema.
 */
const epochMs = z.number().describe('epoch milliseconds');

export const historyPointSchema = z.object({
  ts: epochMs,
  cpu: percent,
  memory: percent,
  disk: percent.nullable(),
  rxBytesPerSec: z.number().nullable(),
  txBytesPerSec: z.number().nullable(),
  load1: z.number().nullable(),
});
export const storedAlertSchema = z.object({
  id: z.string(),
  ts: epochMs,
  severity: z.enum(SEVERITIES),
  component: z.string(),
  message: z.string(),
  value: z.number().nullable(),
  threshold: z.number().nullable(),
  acknowledgedAt: epochMs.nullable(),
  acknowledgedBy: z.string().nullable(),
  resolvedAt: epochMs.nullable(),
  /** For a level change: the alert it supersedes. */
  resolves: z.string().nullable(),
});
export const tokenRecordSchema = z.object({
  jti: z.string(),
  userId: z.string(),
  permissions: z.array(z.string()),
  kind: z.string(),
  family: z.string(),
  issuedAt: epochMs,
  expiresAt: epochMs,
  revokedAt: epochMs.nullable(),
});
export const permissionRequestSchema = z.object({
  id: z.string(),
  userId: z.string(),
  tokenJti: z.string().nullable(),
  permissions: z.array(z.string()),
  reason: z.string(),
  status: z.enum(['pending', 'approved', 'denied', 'dropped']),
  decidedBy: z.string().nullable(),
  decisionReason: z.string().nullable(),
  createdAt: epochMs,
  decidedAt: epochMs.nullable(),
});
export const tlsStateSchema = z.object({
  enabled: z.boolean(),
  source: z.enum(['files', 'self-signed']).nullable(),
  fingerprint: z.string().nullable(),
  insecureLan: z.boolean(),
});
export const whoamiSchema = z.object({
  userId: z.string(),
  tokenId: z.string(),
  permissions: z.array(z.string()),
  server: z.object({
    mode: z.enum(['desktop', 'headless']),
    version: z.string(),
    lan: z.object({ enabled: z.boolean(), urls: z.array(z.string()), clients: z.number() }),
    tls: tlsStateSchema,
  }),
});
const apiDocument = z.record(z.string(), z.unknown());

/** A cluster node's place and health (docs/cluster.md): its role, its lag behind the event stream, Redis and the core. */
export const clusterStatusSchema = z.object({
  role: z.enum(['core', 'edge']),
  node: z.string(),
  /** Core: logged events not yet in the stream. Edge: stream entries not yet delivered here. */
  lag: z.number(),
  redis: z.enum(['up', 'down']),
  /** Edges: whether a core listens for forwarded commands. */
  core: z.enum(['up', 'down']).optional(),
});
export type ClusterStatus = z.infer<typeof clusterStatusSchema>;
export type ClusterRole = ClusterStatus['role'];

export const REST_RESPONSES = {
  'GET /api/health': z.object({ status: z.literal('ok'), version: z.string(), uptime: z.number(), cluster: clusterStatusSchema.optional() }),
  'GET /api/whoami': whoamiSchema,
  'POST /api/tokens': tokenIssuedSchema,
  'GET /api/tokens': z.object({ tokens: z.array(tokenRecordSchema) }),
  'DELETE /api/tokens/:jti': z.object({ jti: z.string(), revoked: z.literal(true), alreadyRevoked: z.boolean() }),
  'POST /api/auth/refresh': RESULT_SCHEMAS['auth:refresh'],
  'GET /api/auth/requests': z.object({ requests: z.array(permissionRequestSchema) }),
  'POST /api/auth/requests/:requestId/decision': RESULT_SCHEMAS['auth:permissions:decide'],
  'POST /api/pair': z.object({ token: z.string(), expiresAt: epochMs, permissions: z.array(z.string()), deviceId: z.string() }),

  'GET /api/system/status': RESULT_SCHEMAS['system:status:get'],
  'GET /api/system/history': z.object({ window: z.enum(['15m', '1h', '24h']), points: z.array(historyPointSchema) }),
  'GET /api/system/alerts': z.object({ alerts: z.array(storedAlertSchema) }),
  'POST /api/system/alerts/:id/ack': storedAlertSchema,
  'GET /api/system/recommendations': RESULT_SCHEMAS['system:recommendations:get'],
  'GET /api/config': z.object({
    components: z.array(z.object({ component: z.enum(CONFIG_COMPONENTS), version: z.number(), config: z.record(z.string(), z.unknown()) })),
  }),
  'POST /api/config/:component': RESULT_SCHEMAS['config:update'],
  'GET /api/config/:component/history': RESULT_SCHEMAS['config:history'],

  'GET /api/neural/networks': z.object({ networks: z.array(networkViewSchema), runs: z.array(runViewSchema), datasets: z.array(datasetSummarySchema) }),
  'GET /api/neural/runs/:runId': runViewSchema.extend({ history: z.array(epochRecordSchema) }),
  'POST /api/neural/training': RESULT_SCHEMAS['neural:training:start'],
  'POST /api/neural/training/:runId/stop': RESULT_SCHEMAS['neural:training:stop'],
  'POST /api/analysis': RESULT_SCHEMAS['task:execute:immediate'],

  'GET /api/swarms': z.object({ swarms: z.array(swarmSchema) }),
  'POST /api/swarms': RESULT_SCHEMAS['swarm:create'],
  'GET /api/swarms/:id': swarmSchema,
  'DELETE /api/swarms/:id': RESULT_SCHEMAS['swarm:delete'],
  'GET /api/tasks': z.object({ tasks: z.array(taskSchema) }),
  'POST /api/tasks': RESULT_SCHEMAS['task:create'],
  'GET /api/tasks/:id': taskSchema,
  'POST /api/tasks/:id/cancel': RESULT_SCHEMAS['task:cancel'],
  'GET /api/workflows': z.object({ workflows: z.array(workflowSchema) }),
  'POST /api/workflows': RESULT_SCHEMAS['workflow:create'],
  'GET /api/workflows/:id': workflowSchema,

  'GET /api/events': z.object({ epoch: z.string(), seq: z.number(), events: z.array(loggedEventViewSchema) }),
  'GET /metrics': z.string().describe('Prometheus text exposition'),
  'GET /api/openapi.json': apiDocument,
  'GET /api/asyncapi.json': apiDocument,
} as const satisfies Record<`${'GET' | 'POST' | 'PUT' | 'DELETE'} /${string}`, z.ZodType>;

export type RestRouteKey = keyof typeof REST_RESPONSES;
export type RestResponse<K extends RestRouteKey> = z.output<(typeof REST_RESPONSES)[K]>;

export type HistoryPoint = z.output<typeof historyPointSchema>;
export type StoredAlert = z.output<typeof storedAlertSchema>;
export type TokenRecord = z.output<typeof tokenRecordSchema>;
export type PermissionRequestView = z.output<typeof permissionRequestSchema>;
export type Whoami = z.output<typeof whoamiSchema>;
