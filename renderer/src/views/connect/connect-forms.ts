import { z } from 'zod';
import { pairRequestSchema } from '../../../../shared/protocol/commands';

/** The address typed on the connect screen (already normalised): http(s) for REST and ws(s) for the socket. */
export const serverAddressSchema = z.string().superRefine((value, ctx) => {
  if (!URL.canParse(value)) ctx.addIssue({ code: 'custom', message: 'Enter a server address such as http://127.0.0.1:3456' });
  else if (!/^(https?|wss?):$/.test(new URL(value).protocol)) ctx.addIssue({ code: 'custom', message: 'Use an http://, https://, ws:// or wss:// address' });
});

/** A required text field with its own message (a `min(1)` message would be replaced by the generic "Required"). */
const filled = (message: string) =>
  z
    .string()
    .trim()
    .refine((v) => v.length > 0, message);

/** Connecting with an access token. */
export const tokenConnectSchema = z.object({
  url: serverAddressSchema,
  token: filled('A token is required'),
});

/** Pairing with the code the desktop shows: the address, plus the body of `POST /api/pair`. */
export const pairConnectSchema = pairRequestSchema.extend({
  url: serverAddressSchema,
  code: filled('Enter the pairing code shown in the desktop app').pipe(z.string().max(32)),
});
