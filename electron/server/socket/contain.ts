import type { Logger } from 'pino';

const report = (log: Logger, what: string, err: unknown) => log.error({ err, event: what }, 'socket listener failed; the event was dropped');

/**
 * Runs a socket listener's work so that whatever it throws (or rejects with) stays with that one
 * event: Socket.IO runs listeners outside any try, so an escaped error would end the process.
 */
export function runContained(log: Logger, what: string, fn: () => unknown): void {
  try {
    const result = fn();
    if (result instanceof Promise) result.catch((err: unknown) => report(log, what, err));
  } catch (err) {
    report(log, what, err);
  }
}

/**
 * A contained listener shared by every emitter (an emitter calls its listeners with itself
 * as `this`): one function for all connections instead of closures per connection.
 */
export function containedShared<T, A extends unknown[]>(log: Logger, what: string, listener: (emitter: T, ...args: A) => unknown): (this: T, ...args: A) => void {
  return function (this: T, ...args: A) {
    runContained(log, what, () => listener(this, ...args));
  };
}
