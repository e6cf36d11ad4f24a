import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createZenFlowServer } from '../../../../electron/server/app';
import type { ServerOptionsInput } from '../../../../electron/server/options';
import { FileSecretStore } from '../../../../electron/store/secret-store';
import type { ServerHandle } from '../scenario';

/**
 * Our server as `zenflow serve` runs it (event log on, durable acks), with the per-address and
 * per-token connection limits opened up: every bench connection comes from one address and token.
 */
export async function startOurs(options: ServerOptionsInput = {}): Promise<ServerHandle> {
  const dataDir = mkdtempSync(join(tmpdir(), 'zenflow-bench-fanout-'));
  const server = await createZenFlowServer(
    {
      port: 0,
      dataDir,
      logLevel: 'silent',
      engines: false,
      maxConnectionsPerAddress: 1_000_000,
      maxNewConnectionsPerSecond: 1_000_000,
      maxSocketsPerToken: 1_000_000,
      maxInboundBytesPerSecond: 1_000_000_000,
      ...options,
    },
    { secretStore: new FileSecretStore(join(dataDir, 'secrets.json')) },
  );
  server.engines.config.update({ component: 'api', settings: { rateLimitPerMinute: 1_000_000 } }, 'bench');
  // A long run creates more swarms than the engine holds by default.
  server.engines.config.update({ component: 'swarms', settings: { maxSwarms: 100_000, maxAgents: 1_000_000 } }, 'bench');
  const url = await server.listen();
  const { token } = await server.tokens.issue({ permissions: ['*'], ttlSeconds: 86_400, userId: 'bench' });
  return {
    url,
    token,
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
