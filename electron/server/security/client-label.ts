import { createHash, randomBytes } from 'node:crypto';

/** Per-process salt: labels stay stable while the server runs and reveal nothing across restarts. */
const SALT = randomBytes(16);

/**
 * How an address appears in `api:rate:limit` and logs that operators with `read:api` see:
 * a stable pseudonym, never the address itself.
 */
export function addressLabel(address: string | undefined): string {
  return `address#${createHash('sha256')
    .update(SALT)
    .update(address ?? 'unknown')
    .digest('hex')
    .slice(0, 10)}`;
}

/** The budget key of a caller without a (valid) token. */
export const addressKey = (address: string | undefined): string => `addr:${address ?? 'unknown'}`;
