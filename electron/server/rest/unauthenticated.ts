import { ProtocolError } from '../../../shared/protocol/errors';

/** A refusal about who you are (HTTP 401), not what you may do (403). */
export class Unauthenticated extends ProtocolError {
  readonly httpStatus = 401;
}
