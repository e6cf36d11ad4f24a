import type { Scope } from '../../../../shared/protocol/permissions';
import { onEvent } from '../server-events';
import { connection } from './connection.svelte';
import { toasts } from './toasts.svelte';

/**
 * One-click permission requests from the places that need a scope: remembers which scopes
 * this session has asked for, so each notice says "requested" instead of offering a second request.
 */
class Access {
  /** scope → requestId of the pending request that asked for it. */
  pending = $state<Record<string, string>>({});
  busy = $state<Record<string, boolean>>({});

  constructor() {
    onEvent('auth:permissions:granted', (p) => this.#settle(p.requestId));
    onEvent('auth:permissions:denied', (p) => this.#settle(p.requestId));
  }

  /** The scope `needed`, when the session lacks it; null when it may. */
  missing(needed: Scope | null | undefined): Scope | null {
    return needed && connection.scopesKnown && !connection.can(needed) ? needed : null;
  }

  async request(scope: Scope, what: string): Promise<void> {
    const client = connection.client;
    if (!client || this.pending[scope] || this.busy[scope]) return;
    this.busy = { ...this.busy, [scope]: true };
    try {
      const res = await client.request('auth:permissions:request', { permissions: [scope], reason: `${what} needs ${scope}` });
      this.pending = { ...this.pending, [scope]: res.requestId };
      toasts.info(`Requested ${scope}`, 'An administrator approves or denies it; the view updates by itself once granted.');
    } catch (err) {
      toasts.error(`Could not request ${scope}`, err);
    } finally {
      const { [scope]: _done, ...rest } = this.busy;
      this.busy = rest;
    }
  }

  #settle(requestId: string): void {
    this.pending = Object.fromEntries(Object.entries(this.pending).filter(([, id]) => id !== requestId));
  }
}

export const access = new Access();
