import { format, resolveConfig } from 'prettier';
import { z } from 'zod';
import { CHANNEL_PREFIX, CHANNELS, FAILURE_EVENTS, channelOf } from '../../shared/protocol/channels';
import { COMMANDS, COMMAND_NAMES } from '../../shared/protocol/command-table';
import { ERROR_CODES, HTTP_STATUS } from '../../shared/protocol/errors';
import { EVENT_SCHEMAS, SERVER_EVENTS } from '../../shared/protocol/events';
import { FILTER_SCHEMAS } from '../../shared/protocol/filters';
import { LEVELS } from '../../shared/protocol/permissions';

/**
 * The tables of docs/protocol.md that the schemas in shared/protocol can produce. Each lives
 * between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`; `npm run docs` rewrites them
 * and a unit test fails when the page and the schemas disagree.
 */
type Json = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: Json[];
  oneOf?: Json[];
  items?: Json;
  properties?: Record<string, Json>;
  required?: string[];
  additionalProperties?: Json | boolean;
};

const toJson = (schema: z.ZodType): Json => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
/** Markdown table cells cannot hold a bare pipe. */
const cell = (text: string): string => text.replaceAll('|', '\\|');
const code = (text: string): string => `\`${text}\``;

/** A short, readable type: `a \| b` for enums, `T[]` for arrays, `{ a, b? }` for nested objects. */
function typeText(js: Json, depth = 0): string {
  if (js.const !== undefined) return JSON.stringify(js.const);
  if (js.enum) return js.enum.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(' | ');
  const alternatives = js.anyOf ?? js.oneOf;
  // `T | T[]`: a filter field that takes one value or a list.
  if (alternatives?.length === 2 && alternatives[1]!.type === 'array' && JSON.stringify(alternatives[1]!.items) === JSON.stringify(alternatives[0])) {
    return `${typeText(alternatives[0]!, depth)} (one or a list)`;
  }
  if (alternatives) return [...new Set(alternatives.map((a) => typeText(a, depth)))].join(' | ');
  const type = Array.isArray(js.type) ? js.type.join(' | ') : js.type;
  if (type === 'array') return `${js.items ? wrap(typeText(js.items, depth)) : 'any'}[]`;
  if (type === 'object') {
    if (!js.properties || Object.keys(js.properties).length === 0) return js.additionalProperties ? 'map' : 'object';
    if (depth > 0) return `{ ${fieldNames(js).join(', ')} }`;
    return `{ ${fieldList(js, depth + 1).join(', ')} }`;
  }
  return type ?? 'any';
}

const wrap = (text: string): string => (text.includes(' | ') ? `(${text})` : text);
const fieldNames = (js: Json): string[] => Object.keys(js.properties ?? {}).map((k) => (js.required?.includes(k) ? k : `${k}?`));
const fieldList = (js: Json, depth: number): string[] => Object.entries(js.properties ?? {}).map(([k, v]) => `${k}${js.required?.includes(k) ? '' : '?'}: ${typeText(v, depth)}`);

/** No payload: nothing, null or an empty object. */
const isNothing = (js: Json): boolean =>
  (js.anyOf ?? []).length > 0 &&
  js.anyOf!.every((a) => a.type === 'null' || (a.type === 'object' && Object.keys(a.properties ?? {}).length === 0) || (a.type === undefined && !a.anyOf && !a.enum));

/** A command payload: its fields when it is an object, else the forms it accepts. */
function payloadText(schema: z.ZodType): string {
  const top = toJson(schema);
  const js = (top.anyOf ?? top.oneOf)?.length === 1 ? (top.anyOf ?? top.oneOf)![0]! : top;
  if (js.type === 'object' && js.properties) {
    const fields = fieldList(js, 1);
    return fields.length === 0 ? '—' : fields.map(code).join(', ');
  }
  if (js.type === 'object' || isNothing(js)) return '—';
  return code(typeText(js));
}

const table = (head: string[], rows: string[][]): string =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

function commandsTable(): string {
  return table(
    ['command', 'needs', 'payload'],
    COMMAND_NAMES.map((name) => {
      const { schema, scope } = COMMANDS[name];
      return [code(name), scope ? code(scope) : 'any token', cell(payloadText(schema))];
    }),
  );
}

function eventsTable(): string {
  return table(
    ['event', 'channel', 'fields every payload has (besides `timestamp`)'],
    SERVER_EVENTS.map((name) => {
      const js = toJson(EVENT_SCHEMAS[name]);
      const fields = fieldList(js, 1).filter((f) => !f.startsWith('timestamp'));
      const channel = channelOf(name);
      return [code(name), channel ? code(channel) : 'this socket only', cell(fields.map(code).join(', ') || '—')];
    }),
  );
}

function errorsTable(): string {
  return table(
    ['code', 'HTTP status'],
    ERROR_CODES.map((c) => [code(c), String(HTTP_STATUS[c])]),
  );
}

function channelsTable(): string {
  const prefixes = (channel: (typeof CHANNELS)[number]): string[] => (channel === 'tasks' ? ['task:*', 'workflow:*'] : [`${CHANNEL_PREFIX[channel]}:*`]);
  return table(
    ['channel', 'events', 'scopes', 'filter fields'],
    CHANNELS.map((c) => [
      code(c),
      prefixes(c).map(code).join(', '),
      LEVELS.map((l) => code(`${l}:${c}`)).join(', '),
      cell(fieldList(toJson(FILTER_SCHEMAS[c]), 1).map(code).join(', ')),
    ]),
  );
}

function failureEvents(): string {
  return [...FAILURE_EVENTS].sort().map(code).join(', ');
}

export const GENERATED: Record<string, () => string> = {
  commands: commandsTable,
  events: eventsTable,
  errors: errorsTable,
  channels: channelsTable,
  'failure-events': failureEvents,
};

const BLOCK = /(<!-- generated:([\w-]+) -->)[\s\S]*?(<!-- \/generated:\2 -->)/g;

/**
 * The page with every generated block rewritten from the schemas, then formatted as `npm run format`
 * would (so formatting the tree never makes the page stale); unknown block names are an error.
 */
export async function regenerate(markdown: string, path = 'docs/protocol.md'): Promise<string> {
  const filled = markdown.replace(BLOCK, (_all, open: string, name: string, close: string) => {
    const render = GENERATED[name];
    if (!render) throw new Error(`docs: no generator for block "${name}"`);
    return `${open}\n${render()}\n${close}`;
  });
  return format(filled, { ...(await resolveConfig(path)), filepath: path });
}

/** Names of the generated blocks a page holds, in order. */
export function generatedBlocks(markdown: string): string[] {
  return [...markdown.matchAll(BLOCK)].map((m) => m[2]!);
}
