import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_NAMES, type CommandName } from '../../shared/protocol/command-table';
import { ERROR_CODES } from '../../shared/protocol/errors';
import { RawSocket } from '../helpers/raw-socket';
import { startTestServer, type TestServer } from '../helpers/server';

/** A valid payload per command: the fuzzer mutates these as well as sending arbitrary values. */
const SAMPLES: Record<CommandName, unknown> = {
  'swarm:create': { name: 'Fuzz', topology: 'mesh', agents: [{ role: 'coder', count: 2 }] },
  'swarm:delete': { swarmId: 'swarm-1' },
  'swarm:scale': { swarmId: 'swarm-1', role: 'coder', count: 3 },
  'swarm:analyze': { swarmId: 'swarm-1', includeMetrics: true },
  'task:create': { title: 'T', priority: 'high', requirements: ['coding'] },
  'task:cancel': { taskId: 'task-1' },
  'workflow:create': {
    name: 'W',
    steps: [
      { id: 'a', title: 'A' },
      { id: 'b', title: 'B', dependsOn: ['a'] },
    ],
  },
  'task:execute:immediate': { type: 'code-analysis', input: 'let a = 1;' },
  'neural:training:start': { networkId: 'n1', dataset: 'iris', config: { epochs: 1, learningRate: 0.1, batchSize: 8, validation: 0.2 } },
  'neural:training:stop': { runId: 'run-1' },
  'system:status:get': {},
  'system:recommendations:get': { severity: 'high' },
  'system:optimize': { targets: ['cpu'], strategy: 'conservative' },
  'config:update': { component: 'api', settings: { slowRequestThresholdMs: 500 }, dryRun: true },
  'config:history': { component: 'api' },
  'config:rollback': { component: 'api', version: 1 },
  subscribe: { categories: ['swarms'], filters: { swarms: { swarmIds: ['swarm-1'] } } },
  unsubscribe: ['swarms'],
  'subscribe:filtered': { category: 'tasks', filter: { priority: 'high' } },
  'subscription:update': { action: 'remove', category: 'tasks', filter: { severity: 'info' } },
  'configure:batching': { enabled: true, batchSize: 5, batchTimeout: 100, categories: ['swarms'] },
  'configure:rate-limit': { 'system:metrics': { maxPerSecond: 1 } },
  'enable:performance:tracking': { reportInterval: 5000 },
  'auth:refresh': { refreshToken: 'nope' },
  'auth:permissions:request': { permissions: ['read:api'], reason: 'fuzz' },
  'auth:permissions:decide': { requestId: 'r', approve: false },
};

const value = fc.anything({ maxDepth: 3, maxKeys: 5, withNullPrototype: true, withBigInt: false, withTypedArray: false });
/** Arbitrary values, the sample with one field replaced or added, and the sample with a field dropped. */
const payloadFor = (sample: unknown) =>
  fc.oneof(
    value,
    typeof sample === 'object' && sample !== null && !Array.isArray(sample) && Object.keys(sample).length > 0
      ? fc.oneof(
          fc.tuple(fc.constantFrom(...Object.keys(sample), '__proto__', 'constructor', 'extra'), value).map(([k, v]) => ({ ...sample, [k]: v })),
          fc.constantFrom(...Object.keys(sample)).map((k) => Object.fromEntries(Object.entries(sample).filter(([key]) => key !== k))),
        )
      : value,
    fc.constant(sample),
  );

type Counts = { swarms: number; agents: number; tasks: number; workflows: number };

describe('property-based fuzzing of every command (fast-check)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ analysisTimeoutMs: 2000 });
    const admin = await t.client();
    await admin.request('config:update', { component: 'api', settings: { rateLimitPerMinute: 1_000_000 } });
    // Boot the analysis worker before the clock of any call starts.
    await admin.request('task:execute:immediate', { type: 'code-analysis', input: 'let warm = 1;' });
  });
  afterAll(() => t.close());

  const counts = (): Counts => {
    const swarms = t.server.engines.swarms.listSwarms();
    return {
      swarms: swarms.length,
      agents: swarms.reduce((n, s) => n + s.agents.length, 0),
      // Workflow steps spawn their tasks over time by themselves: only directly created tasks count here.
      tasks: t.server.engines.swarms.listTasks().filter((task) => task.workflowId === null).length,
      workflows: t.server.engines.swarms.listWorkflows().length,
    };
  };

  it('answers every payload with a result or a §4 error, stays up, and never half-applies a refused command', async () => {
    const raw = await RawSocket.open(t.url);
    await raw.connect({ token: await t.token() });
    let id = 10;
    const outcomes = { ok: 0, refused: 0 };
    for (const name of COMMAND_NAMES) {
      await fc.assert(
        fc.asyncProperty(payloadFor(SAMPLES[name]), async (payload) => {
          const before = counts();
          const ack = (await raw.call(id++, name, payload)) as Record<string, unknown>;
          expect(typeof ack).toBe('object');
          if (ack && 'error' in ack) {
            const error = ack.error as { code: string; message: string };
            expect(ERROR_CODES).toContain(error.code);
            expect(error.code, `${name} ${JSON.stringify(payload)} → ${error.message}`).not.toBe('internal');
            expect(typeof error.message).toBe('string');
            expect(counts()).toEqual(before);
            outcomes.refused++;
          } else outcomes.ok++;
        }),
        { numRuns: 40, seed: 20261130 },
      );
    }
    // Both sides were exercised.
    expect(outcomes.ok).toBeGreaterThan(50);
    expect(outcomes.refused).toBeGreaterThan(500);
    expect(await raw.call(id++, 'system:status:get')).toHaveProperty('health');
    raw.close();
  }, 240_000);

  it('survives arbitrary and binary frames; at most the sending socket is dropped', async () => {
    const token = await t.token();
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.string({ maxLength: 200 }).map((s) => `4${s}`),
            fc.string({ maxLength: 200 }).map((s) => `42${s}`),
            fc.json({ maxDepth: 6 }).map((j) => `42["subscribe",${j}]`),
            fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
          ),
          { minLength: 1, maxLength: 8 },
        ),
        async (frames) => {
          const raw = await RawSocket.open(t.url);
          await raw.connect({ token });
          for (const f of frames) raw.send(f);
          raw.close();
        },
      ),
      { numRuns: 60, seed: 7 },
    );
    const control = await t.client();
    expect(await control.request('system:status:get')).toHaveProperty('health');
  }, 120_000);
});
