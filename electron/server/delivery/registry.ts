import type { Channel } from '../../../shared/protocol/channels';
import type { TokenClaims } from '../auth/token-service';
import type { SocketSession } from '../socket/session';

/** Live sessions, indexed by channel so an event only visits its subscribers. */
export class SessionRegistry {
  private readonly sessions = new Map<string, SocketSession>();
  private readonly byChannel = new Map<Channel, Set<SocketSession>>();
  /** By token family, which a session keeps across refreshes. */
  private readonly byFamily = new Map<string, Set<SocketSession>>();

  add(session: SocketSession): void {
    this.sessions.set(session.id, session);
    const family = session.claims.family;
    let set = this.byFamily.get(family);
    if (!set) this.byFamily.set(family, (set = new Set()));
    set.add(session);
  }

  remove(session: SocketSession): void {
    this.sessions.delete(session.id);
    for (const set of this.byChannel.values()) set.delete(session);
    const family = this.byFamily.get(session.claims.family);
    family?.delete(session);
    if (family?.size === 0) this.byFamily.delete(session.claims.family);
  }

  /** A live session's claims for the same token if there is one (checked against the family's first), else `claims`. */
  sharedClaims(claims: TokenClaims): TokenClaims {
    const first = this.byFamily.get(claims.family)?.values().next().value;
    return first?.claims.jti === claims.jti && first.claims.expiresAt === claims.expiresAt ? first.claims : claims;
  }

  countFamily(family: string): number {
    return this.byFamily.get(family)?.size ?? 0;
  }

  withFamily(family: string): SocketSession[] {
    return [...(this.byFamily.get(family) ?? [])];
  }

  get(id: string): SocketSession | undefined {
    return this.sessions.get(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  all(): IterableIterator<SocketSession> {
    return this.sessions.values();
  }

  /** Re-indexes a session after its subscriptions changed. */
  reindex(session: SocketSession): void {
    for (const [channel, set] of this.byChannel) if (!session.subscriptions.has(channel)) set.delete(session);
    for (const channel of session.subscriptions.keys()) {
      let set = this.byChannel.get(channel);
      if (!set) this.byChannel.set(channel, (set = new Set()));
      set.add(session);
    }
  }

  subscribers(channel: Channel): ReadonlySet<SocketSession> {
    return this.byChannel.get(channel) ?? EMPTY;
  }

  withToken(jti: string): SocketSession[] {
    return [...this.sessions.values()].filter((s) => s.claims.jti === jti);
  }

  ofUser(userId: string): SocketSession[] {
    return [...this.sessions.values()].filter((s) => s.claims.userId === userId);
  }
}

const EMPTY: ReadonlySet<SocketSession> = new Set();
