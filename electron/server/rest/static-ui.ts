import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Content-Security-Policy for the web UI: no inline script, no foreign code; sockets to any Zen Flow server. */
export const UI_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // The one inline style bits-ui's Command renders (display: contents), allowed by its hash only.
  "style-src 'self' 'unsafe-hashes' 'sha256-iaOezIDcQIoxCULa6FBKKuLUu09R7kG+Mlu+JVfU3Rw='",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self' ws: wss: http: https:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Serves the built renderer at `/` with security headers. */
export async function registerStaticUi(app: FastifyInstance, webRoot: string | null): Promise<boolean> {
  app.addHook('onSend', async (req, reply) => {
    void reply.header('X-Content-Type-Options', 'nosniff');
    // The first URL carries ?token=…: never leak it in a Referer.
    void reply.header('Referrer-Policy', 'no-referrer');
    if (!req.url.startsWith('/api') && !req.url.startsWith('/socket.io') && req.url !== '/metrics') {
      void reply.header('Content-Security-Policy', UI_CSP);
      void reply.header('X-Frame-Options', 'DENY');
    }
  });
  if (!webRoot || !existsSync(join(webRoot, 'index.html'))) {
    app.get('/', async (_req, reply) => reply.type('text/plain').send('Zen Flow server is running. The web UI is not built: run `npm run build`.'));
    return false;
  }
  await app.register(fastifyStatic, { root: webRoot, index: 'index.html', wildcard: true, cacheControl: true, maxAge: 0 });
  return true;
}
