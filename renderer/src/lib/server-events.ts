import type { EventPayload, ServerEventName } from '../../../shared/protocol/events';

/**
 * The renderer's fan-out of server events: the connection store feeds every frame
 * (batches unpacked) here, and the stores subscribe by name or to everything.
 */
type AnyHandler = (event: string, payload: Record<string, unknown>) => void;
const handlers = new Map<string, Set<(p: unknown) => void>>();
const anyHandlers = new Set<AnyHandler>();

export function onEvent<E extends ServerEventName>(event: E, handler: (payload: EventPayload<E>) => void): () => void {
  let set = handlers.get(event);
  if (!set) handlers.set(event, (set = new Set()));
  const h = handler as (p: unknown) => void;
  set.add(h);
  return () => set.delete(h);
}

export function onAnyEvent(handler: AnyHandler): () => void {
  anyHandlers.add(handler);
  return () => anyHandlers.delete(handler);
}

export function dispatch(event: string, payload: unknown): void {
  if (event === 'batch') {
    const events = (payload as { events?: { event: string; data: unknown }[] } | undefined)?.events;
    if (Array.isArray(events)) for (const e of events) dispatch(e.event, e.data);
    return;
  }
  const p = (typeof payload === 'object' && payload !== null ? payload : { value: payload }) as Record<string, unknown>;
  for (const h of anyHandlers) safe(() => h(event, p));
  const set = handlers.get(event);
  if (set) for (const h of set) safe(() => h(p));
}

function safe(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    console.error('event handler failed', err);
  }
}
