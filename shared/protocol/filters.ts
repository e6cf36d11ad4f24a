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

function fieldsOf(filter: Filter): (keyof Filter)[] {
  return (Object.keys(filter) as (keyof Filter)[]).filter((k) => filter[k] !== undefined);
}

/** An event passes a subscription filter when every field that applies to it matches. */
export function matchesFilter(channel: Channel, filter: Filter, event: string, payload: Payload): boolean {
  for (const field of fieldsOf(filter)) if (testField(channel, field, filter, event, payload) === false) return false;
  return true;
}

/** An exclusion drops an event only when every one of its fields applies and matches. */
export function matchesExclusion(channel: Channel, exclusion: Filter, event: string, payload: Payload): boolean {
  const fields = fieldsOf(exclusion);
  if (fields.length === 0) return false;
  return fields.every((field) => testField(channel, field, exclusion, event, payload) === true);
}

export function passesSubscription(channel: Channel, sub: { filter: Filter; exclude: Filter[] }, event: string, payload: Payload): boolean {
  if (channelOf(event) !== channel) return false;
  if (!matchesFilter(channel, sub.filter, event, payload)) return false;
  return !sub.exclude.some((ex) => matchesExclusion(channel, ex, event, payload));
}
