import { z } from 'zod';
import { CHANNELS, SEVERITIES, channelOf, fullEventName, severityOf, type Channel } from './channels';

/** A filter field that takes one value or a list; a list matches any of its values. */
const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).min(1).max(500)]).transform((v): z.output<T>[] => (Array.isArray(v) ? v : [v]));

const id = z.string().min(1).max(200);
const baseFields = {
  events: oneOrMany(z.string().min(1).max(100)).optional(),
  severity: oneOrMany(z.enum(SEVERITIES)).optional(),
};

export const SYSTEM_COMPONENTS = ['cpu', 'memory', 'disk', 'network', 'swarms', 'neural', 'api'] as const;
export const TASK_PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;

/** One strict schema per channel: unknown filter fields are refused, naming what is allowed. */
export const FILTER_SCHEMAS = {
  system: z.strictObject({ ...baseFields, components: oneOrMany(z.enum(SYSTEM_COMPONENTS)).optional() }),
  swarms: z.strictObject({ ...baseFields, swarmIds: oneOrMany(id).optional() }),
  tasks: z.strictObject({
    ...baseFields,
    taskIds: oneOrMany(id).optional(),
    workflowIds: oneOrMany(id).optional(),
    priority: oneOrMany(z.enum(TASK_PRIORITIES)).optional(),
  }),
  neural: z.strictObject({
    ...baseFields,
    networkIds: oneOrMany(id).optional(),
    networkTypes: oneOrMany(z.string().min(1).max(100)).optional(),
    trainingOnly: z.boolean().optional(),
    minConfidence: z.number().min(0).max(1).optional(),
  }),
  api: z.strictObject({ ...baseFields, endpoints: oneOrMany(z.string().min(1).max(300)).optional() }),
} satisfies Record<Channel, z.ZodType>;

export type ChannelFilter<C extends Channel = Channel> = z.output<(typeof FILTER_SCHEMAS)[C]>;
/** Any channel's parsed filter, as the matcher reads it. */
export type Filter = Partial<{
  events: string[];
  severity: string[];
  components: string[];
  swarmIds: string[];
  taskIds: string[];
  workflowIds: string[];
  priority: string[];
  networkIds: string[];
  networkTypes: string[];
  trainingOnly: boolean;
  minConfidence: number;
  endpoints: string[];
}>;

export const ALLOWED_FILTER_FIELDS: Record<Channel, string[]> = Object.fromEntries(CHANNELS.map((c) => [c, Object.keys(FILTER_SCHEMAS[c].shape)])) as Record<Channel, string[]>;

type Payload = Record<string, unknown>;

/** What each filter field reads off an event; undefined means the field does not apply to it. */
function fieldValue(field: keyof Filter, event: string, p: Payload): unknown {
  switch (field) {
    case 'severity':
      return severityOf(p, event);
    case 'components':
      return p.component;
    case 'swarmIds':
      return p.swarmId;
    case 'taskIds':
      return p.taskId ?? (event.startsWith('task:') ? p.id : undefined);
    case 'workflowIds':
      return p.workflowId ?? (event.startsWith('workflow:') ? p.id : undefined);
    case 'priority':
      return p.priority;
    case 'networkIds':
      return p.networkId ?? p.modelId;
    case 'networkTypes':
      return p.networkType;
    case 'endpoints':
      return p.endpoint;
    default:
      return undefined;
  }
}

/**
 * Tests one filter field against an event: true/false when it applies, null when the
 * event does not carry what the field tests (e.g. `swarmIds` on an event without swarmId).
 */
function testField(channel: Channel, field: keyof Filter, filter: Filter, event: string, p: Payload): boolean | null {
  switch (field) {
    case 'events':
      return filter.events!.some((name) => fullEventName(channel, name) === event);
    case 'trainingOnly':
      return filter.trainingOnly ? event.startsWith('neural:training:') : null;
    case 'minConfidence':
      return typeof p.confidence === 'number' ? p.confidence >= filter.minConfidence! : null;
    default: {
      const value = fieldValue(field, event, p);
      if (value === undefined || value === null) return null;
      return (filter[field] as unknown[]).includes(value);
    }
  }
}

// These run for every subscriber of every event: they walk a filter's keys without allocating.

/** An event passes a subscription filter when every field that applies to it matches. */
export function matchesFilter(channel: Channel, filter: Filter, event: string, payload: Payload): boolean {
  for (const field in filter) {
    if (filter[field as keyof Filter] !== undefined && testField(channel, field as keyof Filter, filter, event, payload) === false) return false;
  }
  return true;
}

/** An exclusion drops an event only when every one of its fields applies and matches. */
export function matchesExclusion(channel: Channel, exclusion: Filter, event: string, payload: Payload): boolean {
  let fields = 0;
  for (const field in exclusion) {
    if (exclusion[field as keyof Filter] === undefined) continue;
    fields++;
    if (testField(channel, field as keyof Filter, exclusion, event, payload) !== true) return false;
  }
  return fields > 0;
}

export function passesSubscription(channel: Channel, sub: { filter: Filter; exclude: Filter[] }, event: string, payload: Payload): boolean {
  return channelOf(event) === channel && takesChannelEvent(channel, sub, event, payload);
}

/** `passesSubscription` for a caller that already knows `event` is of `channel` (the delivery loop). */
export function takesChannelEvent(channel: Channel, sub: { filter: Filter; exclude: Filter[] }, event: string, payload: Payload): boolean {
  if (!matchesFilter(channel, sub.filter, event, payload)) return false;
  for (const ex of sub.exclude) if (matchesExclusion(channel, ex, event, payload)) return false;
  return true;
}
