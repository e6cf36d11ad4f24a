/** The error envelope of docs/protocol.md §4, shared by acks and REST. */
export const ERROR_CODES = ['invalid_argument', 'forbidden', 'not_found', 'conflict', 'rate_limited', 'unavailable', 'internal'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type ErrorDetail = { path: string; message: string };

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: ErrorDetail[] | Record<string, unknown>;
}

export interface ErrorResponse {
  error: ErrorBody;
}

export const HTTP_STATUS: Record<ErrorCode, number> = {
  invalid_argument: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

/** A refusal that carries its protocol error code; thrown by handlers, mapped to the envelope. */
export class ProtocolError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorBody['details'],
  ) {
    super(message);
    this.name = 'ProtocolError';
  }

  toBody(): ErrorBody {
    return this.details === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, details: this.details };
  }
}

export function isErrorResponse(value: unknown): value is ErrorResponse {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as ErrorBody).code === 'string';
}

/**
 * Connect-time refusal codes carried in the middleware error's `data` (§2); `rate_limited` when the
 * address has spent its budget on failed attempts or the token holds too many sockets.
 */
export const AUTH_ERROR_CODES = ['missing_token', 'invalid_token', 'token_expired', 'token_revoked', 'rate_limited'] as const;
export type AuthErrorCode = (typeof AUTH_ERROR_CODES)[number];
