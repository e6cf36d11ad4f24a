import type { FastifyError, FastifyInstance } from 'fastify';
import { HTTP_STATUS, ProtocolError, type ErrorResponse } from '../../../shared/protocol/errors';
import type { Logger } from 'pino';

/** Every REST failure, including Fastify's own (bad JSON, body too large, 404), as the §4 envelope. */
export function registerErrorHandling(app: FastifyInstance, log: Logger): void {
  app.setErrorHandler((err: FastifyError | ProtocolError, req, reply) => {
    let body: ErrorResponse;
    let status: number;
    if (err instanceof ProtocolError) {
      body = { error: err.toBody() };
      status = (err as ProtocolError & { httpStatus?: number }).httpStatus ?? HTTP_STATUS[err.code];
      if (err.code === 'rate_limited') {
        const retry = (err.details as { retryAfterMs?: number } | undefined)?.retryAfterMs ?? 1000;
        void reply.header('Retry-After', String(Math.max(1, Math.ceil(retry / 1000))));
      }
    } else if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      status = err.statusCode;
      const code = status === 413 ? 'invalid_argument' : status === 404 ? 'not_found' : status === 429 ? 'rate_limited' : 'invalid_argument';
      body = { error: { code, message: err.message } };
    } else {
      log.error({ err, url: req.url }, 'request failed');
      status = 500;
      body = { error: { code: 'internal', message: 'internal server error' } };
    }
    void reply.code(status).type('application/json').send(body);
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send({ error: { code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` } });
  });
}
