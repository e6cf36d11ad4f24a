import { CHANNELS, type Channel } from './channels';

/** Scopes and their implication rules (docs/protocol.md §3). */
export const LEVELS = ['read', 'write', 'admin'] as const;
export type Level = (typeof LEVELS)[number];
export type Scope = `${Level}:${Channel}`;

const SCOPE_PATTERN = /^(?:\*|(read|write|admin):(system|swarms|tasks|neural|api|\*))$/;

export function isPermission(value: unknown): value is string {
  return typeof value === 'string' && SCOPE_PATTERN.test(value);
}

/** Every concrete scope a granted permission implies (`admin:c` ⇒ `write:c` ⇒ `read:c`; `*`; `read:*`). */
export function expandPermission(permission: string): Scope[] {
  const match = SCOPE_PATTERN.exec(permission);
  if (!match) return [];
  const level = (match[1] ?? 'admin') as Level;
  const channel = match[2] ?? '*';
  const channels = channel === '*' ? CHANNELS : [channel as Channel];
  const levels = LEVELS.slice(0, LEVELS.indexOf(level) + 1);
  return channels.flatMap((c) => levels.map((l) => `${l}:${c}` as Scope));
}

export function expandPermissions(permissions: readonly string[]): Set<Scope> {
  const scopes = new Set<Scope>();
  for (const p of permissions) for (const s of expandPermission(p)) scopes.add(s);
  return scopes;
}

/** The effective scopes: what the token grants, narrowed by what the client asked for (if anything). */
export function effectiveScopes(granted: readonly string[], requested?: readonly string[]): Set<Scope> {
  const grantedScopes = expandPermissions(granted);
  if (requested === undefined) return grantedScopes;
  const wanted = expandPermissions(requested);
  return new Set([...grantedScopes].filter((s) => wanted.has(s)));
}

export function hasScope(scopes: ReadonlySet<Scope>, needed: Scope): boolean {
  return scopes.has(needed);
}

/** The smallest list of permission strings that expands to exactly `scopes` (for display and re-minting). */
export function compactScopes(scopes: ReadonlySet<Scope>): string[] {
  if (scopes.size === CHANNELS.length * LEVELS.length) return ['*'];
  const out: string[] = [];
  for (const c of CHANNELS) {
    const top = [...LEVELS].reverse().find((l) => scopes.has(`${l}:${c}`));
    if (top) out.push(`${top}:${c}`);
  }
  return out;
}

/** The concrete scopes in `wanted` that `held` does not include: a caller can grant only what it holds itself. */
export function missingScopes(held: ReadonlySet<Scope>, wanted: readonly string[]): Scope[] {
  return [...expandPermissions(wanted)].filter((s) => !held.has(s));
}
