import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EventInput } from '../../../shared/protocol/events';
import type { AuthNotifier } from '../handlers/auth';
import { KEYS, type Redis } from './redis';

/** How long a node asks the others whether a token has a socket somewhere. */
const PRESENCE_WAIT_MS = 500;

const noticeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('refreshed'), from: z.string(), previousJti: z.string(), token: z.string() }),
  z.object({
    kind: z.literal('requester'),
    from: z.string(),
    tokenJti: z.string(),
    event: z.enum(['auth:permissions:granted', 'auth:permissions:denied']),
    payload: z.record(z.string(), z.unknown()),
  }),
  z.object({ kind: z.literal('admins'), from: z.string(), event: z.literal('auth:permissions:requested'), payload: z.record(z.string(), z.unknown()) }),
  z.object({ kind: z.literal('presence?'), from: z.string(), id: z.string(), tokenJti: z.string() }),
  z.object({ kind: z.literal('presence!'), from: z.string(), to: z.string(), id: z.string() }),
]);
// Payloads come from another node's typed call; Redis is trusted (docs/cluster.md), so they are not re-validated field by field.
type Notice = z.infer<typeof noticeSchema>;
type Decision = 'auth:permissions:granted' | 'auth:permissions:denied';
type Distribute<T> = T extends unknown ? Omit<T, 'from'> : never;

/**
 * Auth notifications across cluster nodes (docs/protocol.md §2, §12): a permission
 * request reaches admins on every node, a decision reaches the requester on
 * whichever node it is connected to, a refresh moves the old token's sockets
 * everywhere, and "is this token connected?" asks every node.
 */
export class ClusterNotifier implements AuthNotifier {
  private readonly asking = new Map<string, () => void>();

  constructor(
    private readonly local: AuthNotifier,
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    private readonly node: string,
  ) {}

  async start(): Promise<void> {
    await this.subscriber.subscribe(KEYS.notices, (message) => void this.receive(message));
  }

  async tokenRefreshed(previousJti: string, token: string): Promise<void> {
    await this.local.tokenRefreshed(previousJti, token);
    this.publish({ kind: 'refreshed', previousJti, token });
  }

  toRequester<E extends Decision>(tokenJti: string | null, event: E, payload: EventInput<E>): void {
    this.local.toRequester(tokenJti, event, payload);
    if (tokenJti) this.publish({ kind: 'requester', tokenJti, event, payload });
  }

  toAdmins(event: 'auth:permissions:requested', payload: EventInput<'auth:permissions:requested'>): void {
    this.local.toAdmins(event, payload);
    this.publish({ kind: 'admins', event, payload });
  }

  async isConnected(tokenJti: string): Promise<boolean> {
    if (await this.local.isConnected(tokenJti)) return true;
    const id = randomUUID();
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => settle(false), PRESENCE_WAIT_MS);
      const settle = (found: boolean) => {
        clearTimeout(timer);
        this.asking.delete(id);
        resolve(found);
      };
      this.asking.set(id, () => settle(true));
      this.publish({ kind: 'presence?', id, tokenJti });
    });
  }

  private publish(notice: Distribute<Notice>): void {
    this.redis.publish(KEYS.notices, JSON.stringify({ ...notice, from: this.node })).catch(() => undefined);
  }

  private async receive(message: string): Promise<void> {
    let notice: Notice;
    try {
      notice = noticeSchema.parse(JSON.parse(message));
    } catch {
      return;
    }
    if (notice.from === this.node) return;
    switch (notice.kind) {
      case 'refreshed':
        return this.local.tokenRefreshed(notice.previousJti, notice.token);
      case 'requester':
        return this.local.toRequester(notice.tokenJti, notice.event, notice.payload as EventInput<Decision>);
      case 'admins':
        return this.local.toAdmins(notice.event, notice.payload as EventInput<'auth:permissions:requested'>);
      case 'presence?':
        if (await this.local.isConnected(notice.tokenJti)) this.publish({ kind: 'presence!', to: notice.from, id: notice.id });
        return;
      case 'presence!':
        if (notice.to === this.node) this.asking.get(notice.id)?.();
    }
  }
}
