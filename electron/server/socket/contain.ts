import type { Logger } from 'pino';

/**
 * Wraps a socket listener so that whatever it throws (or rejects with) stays with that one event:
 * Socket.IO runs listeners outside any try, so an escaped error would end the process.
 */
export function contained<A extends unknown[]>(log: Logger, what: string, listener: (...args: A) => unknown): (...args: A) => void {
  const report = (err: unknown) => log.error({ err, event: what }, 'socket listener failed; the event was dropped');
  return (...args: A) => {
    try {
      const result = listener(...args);
      if (result instanceof Promise) result.catch(report);
    } catch (err) {
      report(err);
    }
  };
}
