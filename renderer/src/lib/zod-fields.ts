import type { z } from 'zod';

/** Form fields derived from a strict object schema (the shared config schemas): one per setting. */
export type SettingField =
  | { key: string; kind: 'number'; min?: number; max?: number; int: boolean; default: unknown }
  | { key: string; kind: 'boolean'; default: unknown }
  | { key: string; kind: 'enum'; options: string[]; default: unknown }
  | { key: string; kind: 'json'; default: unknown };

interface Introspectable {
  def: { type: string; innerType?: Introspectable; defaultValue?: unknown };
  minValue?: number | null;
  maxValue?: number | null;
  isInt?: boolean;
  options?: string[];
}

export function fieldsOf(schema: z.ZodType): SettingField[] {
  const shape = (schema as unknown as { shape?: Record<string, Introspectable> }).shape;
  if (!shape) return [];
  return Object.entries(shape).map(([key, s]) => {
    let inner = s;
    let def: unknown;
    while (inner.def.innerType && (inner.def.type === 'default' || inner.def.type === 'optional' || inner.def.type === 'nullable')) {
      if (inner.def.type === 'default') def = inner.def.defaultValue;
      inner = inner.def.innerType;
    }
    switch (inner.def.type) {
      case 'number':
        return { key, kind: 'number', min: inner.minValue ?? undefined, max: inner.maxValue ?? undefined, int: Boolean(inner.isInt), default: def };
      case 'boolean':
        return { key, kind: 'boolean', default: def };
      case 'enum':
        return { key, kind: 'enum', options: inner.options ?? [], default: def };
      default:
        return { key, kind: 'json', default: def };
    }
  });
}

/** "alertMinDurationMs" → "Alert min duration (ms)". */
export function humanize(key: string, withUnit = true): string {
  const unit = withUnit && /Ms$/.test(key) ? ' (ms)' : '';
  const base = key
    .replace(/Ms$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/\b(cpu|api|ml)\b/g, (w) => w.toUpperCase());
  return base.charAt(0).toUpperCase() + base.slice(1) + unit;
}
