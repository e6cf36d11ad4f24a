/** Channels and how event names map onto them (docs/protocol.md §5). */
export const CHANNELS = ['system', 'swarms', 'neural', 'api', 'tasks'] as const;
export type Channel = (typeof CHANNELS)[number];

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

const PREFIX_CHANNEL: Record<string, Channel> = {
  system: 'system',
  swarm: 'swarms',
  neural: 'neural',
  api: 'api',
  task: 'tasks',
  workflow: 'tasks',
};

/** The prefix that turns a channel-relative event name into a full one. */
export const CHANNEL_PREFIX: Record<Channel, string> = {
  system: 'system',
  swarms: 'swarm',
  neural: 'neural',
  api: 'api',
  tasks: 'task',
};

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && (CHANNELS as readonly string[]).includes(value);
}

/** The channel an event is delivered on, or null for per-socket events (auth:*, batch, ping…). */
export function channelOf(event: string): Channel | null {
  const colon = event.indexOf(':');
  if (colon <= 0) return null;
  return PREFIX_CHANNEL[event.slice(0, colon)] ?? null;
}

/** Full event name for a name given under `channel`: `task:completed` under swarms → `swarm:task:completed`. */
export function fullEventName(channel: Channel, name: string): string {
  return channelOf(name) === channel ? name : `${CHANNEL_PREFIX[channel]}:${name}`;
}

/** Failure events: at least `warning`, so a "warning and above" filter shows them (docs/protocol.md §5). */
export const FAILURE_EVENTS: ReadonlySet<string> = new Set(['task:failed', 'task:interrupted', 'workflow:failed', 'neural:training:failed']);

/**
 * An event's severity: its own `severity` field where it has a valid one; else `warning` for a
 * failure event (payloads recorded before failures carried one), else info.
 */
export function severityOf(payload: unknown, event?: string): Severity {
  const value = typeof payload === 'object' && payload !== null ? (payload as { severity?: unknown }).severity : undefined;
  if (typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value)) return value as Severity;
  return event !== undefined && FAILURE_EVENTS.has(event) ? 'warning' : 'info';
}
