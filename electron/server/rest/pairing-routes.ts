import { randomBytes } from 'node:crypto';
import { pairRequestSchema } from '../../../shared/protocol/commands';
import { ProtocolError } from '../../../shared/protocol/errors';
import type { TokenService } from '../auth/token-service';
import type { CommandDispatcher } from '../dispatcher';
import { addressKey, addressLabel } from '../security/client-label';
import { defineRoute, type RouteDef } from './route';

/** What a paired LAN device may do, and for how long. */
export const LAN_DEVICE_PERMISSIONS = ['read:*'];
const LAN_DEVICE_TTL_SECONDS = 30 * 86_400;
/** Device tokens carry `lan:<random>:<device name>` as their user id. */
export const DEVICE_PREFIX = 'lan:';

/** Whoever shows pairing codes to the user (the desktop app's LAN host) checks them here. */
export interface PairingHook {
  /** True once for a valid, unexpired code; the code is used up. */
  redeem(code: string): boolean;
  paired?(deviceId: string): void;
}

/** `POST /api/pair`: a LAN device trades a pairing code for its own read-only token. */
export function pairingRoutes(tokens: TokenService, hook: PairingHook, dispatcher: CommandDispatcher): RouteDef[] {
  return [
    defineRoute('POST /api/pair', {
      summary: 'Trade a pairing code { code, device? } for a device token (LAN hosting only)',
      access: 'open',
      body: pairRequestSchema,
      handler: async ({ body }, _ctx, req) => {
        // Unauthenticated and guessable in principle: every attempt counts against the address's budget.
        dispatcher.charge(addressKey(req.ip), { label: addressLabel(req.ip) });
        if (!hook.redeem(body.code)) throw new ProtocolError('forbidden', 'pairing code is invalid, used or expired');
        const userId = `${DEVICE_PREFIX}${randomBytes(4).toString('hex')}:${body.device}`;
        const issued = await tokens.issue({ permissions: LAN_DEVICE_PERMISSIONS, ttlSeconds: LAN_DEVICE_TTL_SECONDS, userId, kind: 'lan-device' });
        hook.paired?.(userId);
        return { token: issued.token, expiresAt: issued.expiresAt, permissions: LAN_DEVICE_PERMISSIONS, deviceId: userId };
      },
    }),
  ];
}
