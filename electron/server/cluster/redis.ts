import { createClient } from 'redis';
import type { Logger } from 'pino';
import { StartupError } from '../../store/startup-error';

/** Every key and channel the cluster uses (docs/cluster.md describes them). */
export const KEYS = {
  /** The event log: one entry per logged event, id `<seq>-0`, fields `e` (event name) and `p` (payload JSON). */
  stream: 'zenflow:log',
  /** The epoch of the log the stream holds. */
  epoch: 'zenflow:log:epoch',
  /** Token records by jti (JSON), shared by every node. */
  tokens: 'zenflow:tokens',
  /** Pub/sub: token records minted or revoked, as they happen. */
  tokenChanges: 'zenflow:tokens:changes',
  /** A refresh offer's record (by hash), taken once by whichever node exchanges it. */
  refresh: (hash: string) => `zenflow:refresh:${hash}`,
  /** Pub/sub: auth notifications between nodes (permission requests and decisions, refreshes, presence). */
  notices: 'zenflow:notices',
  /** Pub/sub: commands and REST requests an edge forwards to the core. */
  commands: 'zenflow:core:commands',
  /** Pub/sub: the core's answers to one edge. */
  replies: (node: string) => `zenflow:replies:${node}`,
} as const;

const CONNECT_TIMEOUT_MS = 5000;

/**
 * A client that reconnects by itself. Commands while disconnected fail at once
 * (no offline queue): callers answer `unavailable` or retry on their own terms.
 */
export async function connectRedis(url: string, log: Logger, name: string): Promise<Redis> {
  const client = newClient(url);
  let reported = false;
  client.on('error', (err: Error) => {
    // Once per outage: the client retries every second while Redis is away.
    if (!reported) log.warn({ err: err.message, connection: name }, 'Redis connection lost; retrying');
    reported = true;
  });
  client.on('ready', () => {
    if (reported) log.info({ connection: name }, 'Redis connection back');
    reported = false;
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StartupError(url, `Redis did not answer within ${CONNECT_TIMEOUT_MS / 1000} s`, 'Start redis-server or fix --redis.')), CONNECT_TIMEOUT_MS);
  });
  try {
    await Promise.race([client.connect(), timeout]);
  } catch (err) {
    client.destroy();
    throw err;
  } finally {
    clearTimeout(timer);
  }
  return client;
}

function newClient(url: string) {
  return createClient({
    url,
    disableOfflineQueue: true,
    socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 1000) },
  });
}
export type Redis = ReturnType<typeof newClient>;

/** The seq of a stream entry id `<seq>-0`. */
export const seqOfId = (id: string): number => Number(id.slice(0, id.indexOf('-')));
export const idOfSeq = (seq: number): string => `${seq}-0`;
