import { channelOf } from '../../../shared/protocol/channels';
import type { Clock, TimerHandle } from '../../engines/clock';

export interface BatchConfig {
  batchSize: number;
  batchTimeout: number;
  categories: string[];
}

/** Does `event` fall under a batching category: an event name, a channel name or a `prefix:*` pattern. */
export function matchesCategory(categories: readonly string[], event: string): boolean {
  if (categories.length === 0) return true;
  const channel = channelOf(event);
  return categories.some((c) => (c.endsWith(':*') ? event.startsWith(c.slice(0, -1)) : c === event || (channel !== null && c === channel)));
}

/** Holds a socket's matching events and sends them in order as one `batch` event. */
export class Batcher {
  private events: { event: string; data: unknown }[] = [];
  private timer: TimerHandle | undefined;

  constructor(
    readonly config: BatchConfig,
    private readonly clock: Clock,
    private readonly send: (payload: { events: { event: string; data: unknown }[]; timestamp: number }) => void,
  ) {}

  matches(event: string): boolean {
    return matchesCategory(this.config.categories, event);
  }

  /** True while some event waits for the batch to go. */
  get holding(): boolean {
    return this.events.length > 0;
  }

  add(event: string, data: unknown): void {
    this.events.push({ event, data });
    if (this.events.length >= this.config.batchSize) this.flush();
    else this.timer ??= this.clock.setTimeout(() => this.flush(), this.config.batchTimeout);
  }

  flush(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.events.length === 0) return;
    const events = this.events;
    this.events = [];
    this.send({ events, timestamp: this.clock.now() });
  }

  dispose(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.events = [];
  }
}
