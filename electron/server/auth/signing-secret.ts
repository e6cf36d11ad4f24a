import { randomBytes } from 'node:crypto';
import type { SecretStore } from '../../store/secret-store';

const ACCOUNT = 'jwt-signing-secret';

/** The per-installation HS256 secret, created on first start. */
export async function loadSigningSecret(store: SecretStore): Promise<{ secret: Uint8Array; created: boolean }> {
  const existing = await store.get(ACCOUNT);
  if (existing) return { secret: Buffer.from(existing, 'base64url'), created: false };
  const fresh = randomBytes(32);
  await store.set(ACCOUNT, fresh.toString('base64url'));
  return { secret: fresh, created: true };
}
