/**
 * Bounds on the shape of anything a client sends, checked before it is used or
 * echoed. Socket.IO's encoder and most validators recurse, so a deep payload
 * must be refused by a walk that does not.
 */
export interface PayloadBounds {
  /** Deepest nesting of arrays and objects (the payload itself is depth 1). */
  maxDepth: number;
  /** Most values (objects, arrays, keys' values, scalars) in one payload. */
  maxNodes: number;
}

export const DEFAULT_PAYLOAD_BOUNDS: PayloadBounds = { maxDepth: 32, maxNodes: 20_000 };

const isContainer = (v: unknown): v is object => typeof v === 'object' && v !== null && !ArrayBuffer.isView(v) && !(v instanceof ArrayBuffer);

/** Returns why `value` is out of bounds, or null when it is within them. Iterative: no stack to overflow. */
export function payloadBoundsViolation(value: unknown, bounds: PayloadBounds = DEFAULT_PAYLOAD_BOUNDS): string | null {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  let nodes = 0;
  while (stack.length > 0) {
    const { value: v, depth } = stack.pop()!;
    if (++nodes > bounds.maxNodes) return `payload has more than ${bounds.maxNodes} values`;
    if (!isContainer(v)) continue;
    if (depth > bounds.maxDepth) return `payload is nested deeper than ${bounds.maxDepth} levels`;
    const children = Array.isArray(v) ? v : Object.values(v);
    if (nodes + children.length > bounds.maxNodes) return `payload has more than ${bounds.maxNodes} values`;
    for (const child of children) stack.push({ value: child, depth: depth + 1 });
  }
  return null;
}

const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACKET = 0x5d;
const CLOSE_BRACE = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Whether a JSON text nests deeper than `maxDepth`, found by one scan of its characters. It runs
 * before the text is parsed: parsing deep nesting alone costs V8 hundreds of milliseconds per frame.
 */
export function nestsDeeperThan(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      if (++depth > maxDepth) return true;
    } else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) depth--;
  }
  return false;
}
