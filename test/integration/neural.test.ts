import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZenFlowRequestError } from '../../shared/sdk';
import { collect, nextEvent, startTestServer, type TestServer } from '../helpers/server';
import { IRIS, LONG, RISKY } from '../helpers/neural-fixtures';

type Payload = Record<string, unknown>;

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer({ engines: true });
});

afterAll(async () => {
  await t.close();
});

async function refused(promise: Promise<unknown>): Promise<ZenFlowRequestError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ZenFlowRequestError) return error;
    throw error;
  }
  throw new Error('accepted');
}

async function rest(path: string, permissions: string[], init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: Payload }> {
  const res = await fetch(`${t.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { Authorization: `Bearer ${await t.token(permissions)}`, ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: res.status, body: (await res.json()) as Payload };
}

describe('neural over the real server', () => {
  it('only admin:neural starts and stops training; read:neural sees the run converge', async () => {
    const reader = await t.client({ token: await t.token(['read:neural']) });
    const admin = await t.client({ token: await t.token(['admin:neural']) });
    await reader.subscribe('neural');

    const denied = await refused(reader.request('neural:training:start', { networkId: 'iris-net', dataset: 'iris', config: IRIS }));
    expect(denied.code).toBe('forbidden');

    const progress = collect<Payload>(reader, 'neural:training:progress');
    const ack = await admin.request('neural:training:start', { networkId: 'iris-net', dataset: 'iris', config: IRIS });
    expect(ack).toMatchObject({ networkId: 'iris-net', runId: expect.stringMatching(/^run-/) });
    const completed = await nextEvent<Payload>(reader, 'neural:training:completed', 20_000, (p) => p.runId === ack.runId);
    progress.stop();

    expect(progress.items.map((p) => p.epoch)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    const losses = progress.items.map((p) => p.currentLoss as number);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.6);
    expect(progress.items.every((p) => typeof p.estimatedTimeRemaining === 'number' && typeof p.currentAccuracy === 'number')).toBe(true);
    expect(completed).toMatchObject({ networkId: 'iris-net', epochs: 40 });
    expect(completed.finalAccuracy as number).toBeGreaterThan(85);
    expect(completed.trainingTime as number).toBeGreaterThan(0);

    expect((await refused(reader.request('neural:training:stop', { runId: ack.runId }))).code).toBe('forbidden');
    expect((await refused(admin.request('neural:training:stop', { runId: ack.runId }))).code).toBe('conflict');
  }, 30_000);

  it('lists networks, runs and datasets, and a run with its history, over REST', async () => {
    const { status, body } = await rest('/api/neural/networks', ['read:neural']);
    expect(status).toBe(200);
    expect(body.networks).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'iris-net', status: 'ready', runs: 1 })]));
    const runs = body.runs as Payload[];
    expect(runs[0]).toMatchObject({ networkId: 'iris-net', status: 'completed', totalEpochs: 40 });
    expect((body.datasets as Payload[]).map((d) => [d.id, typeof d.name])).toEqual([
      ['iris', 'string'],
      ['code-analyzer', 'string'],
      ['two-spirals', 'string'],
    ]);

    const run = await rest(`/api/neural/runs/${String(runs[0]!.runId)}`, ['read:neural']);
    expect(run.status).toBe(200);
    expect((run.body.history as Payload[]).length).toBe(40);
    expect((await rest('/api/neural/runs/run-unknown', ['read:neural'])).status).toBe(404);
    expect((await rest('/api/neural/networks', ['read:system'])).status).toBe(403);
  });

  it('starts and stops training over REST with the socket command rules', async () => {
    expect((await rest('/api/neural/training', ['read:neural'], { method: 'POST', body: { networkId: 'x', dataset: 'iris', config: IRIS } })).status).toBe(403);
    const started = await rest('/api/neural/training', ['admin:neural'], { method: 'POST', body: { networkId: 'spiral', dataset: 'two-spirals', config: LONG } });
    expect(started.status).toBe(202);
    const runId = String(started.body.runId);
    const stopped = await rest(`/api/neural/training/${runId}/stop`, ['admin:neural'], { method: 'POST' });
    expect(stopped).toMatchObject({ status: 200, body: { runId, status: 'stopped' } });
    expect((await rest(`/api/neural/training/${runId}/stop`, ['admin:neural'], { method: 'POST' })).status).toBe(409);
  }, 30_000);

  it('refuses out-of-range configs, unknown datasets and CSV paths on the headless server', async () => {
    const admin = await t.client({ token: await t.token(['admin:neural']) });
    const range = await refused(admin.request('neural:training:start', { networkId: 'n', dataset: 'iris', config: { ...IRIS, epochs: 0, validation: 0.9 } }));
    expect(range.code).toBe('invalid_argument');
    expect((range.details as { path: string }[]).map((d) => d.path)).toEqual(['config.epochs', 'config.validation']);

    const unknown = await refused(admin.request('neural:training:start', { networkId: 'n', dataset: 'enterprise-codebases', config: IRIS }));
    expect(unknown).toMatchObject({ code: 'invalid_argument', message: expect.stringContaining('allowed: iris, code-analyzer, two-spirals') });

    const csv = await refused(admin.request('neural:training:start', { networkId: 'n', dataset: { csvPath: '/etc/passwd' }, config: IRIS }));
    expect(csv).toMatchObject({ code: 'forbidden', message: 'CSV datasets are only available in the desktop app' });

    const viaRest = await rest('/api/neural/training', ['admin:neural'], { method: 'POST', body: { networkId: 'n', dataset: 'iris', config: { ...IRIS, batchSize: 0 } } });
    expect(viaRest.status).toBe(400);
    expect(viaRest.body.error).toMatchObject({ code: 'invalid_argument', details: [expect.objectContaining({ path: 'config.batchSize' })] });
  });

  it('analyses code, and grades it with the code-analyzer network once one is trained', async () => {
    const client = await t.client({ token: await t.token(['write:tasks', 'admin:neural', 'read:neural']) });
    const plain = await client.request('task:execute:immediate', { type: 'code-analysis', input: RISKY, filename: 'risky.js' });
    const functions = plain.analysis.functions as Payload[];
    expect(functions).toEqual([expect.objectContaining({ name: 'run', complexity: expect.any(Number) })]);
    expect(functions[0]!.risk).toBeUndefined();
    expect((plain.analysis.findings as Payload[]).map((f) => f.rule)).toEqual(expect.arrayContaining(['no-eval', 'empty-catch']));
    expect(plain.confidence).toBe(1);

    await client.subscribe('neural');
    const { runId } = await client.request('neural:training:start', {
      networkId: 'code-analyzer-v2',
      dataset: 'code-analyzer',
      config: { epochs: 40, learningRate: 0.01, batchSize: 16, validation: 0.2, seed: 3 },
    });
    await nextEvent<Payload>(client, 'neural:training:completed', 20_000, (p) => p.runId === runId);

    const graded = await client.request('task:execute:immediate', { type: 'code-analysis', input: RISKY, filename: 'risky.js' });
    expect((graded.analysis.functions as Payload[])[0]).toMatchObject({ name: 'run', risk: { level: 'high', modelId: runId } });
    for (const f of graded.analysis.findings as Payload[]) {
      if (f.rule === 'no-eval' || f.rule === 'empty-catch') expect(f.score as number).toBeGreaterThan(0.5);
    }

    const viaRest = await rest('/api/analysis', ['write:tasks'], { method: 'POST', body: { type: 'code-analysis', input: RISKY, filename: 'risky.js' } });
    expect(viaRest.status).toBe(200);
    expect(((viaRest.body.analysis as Payload).functions as Payload[])[0]).toMatchObject({ risk: { level: 'high' } });
    expect((await rest('/api/analysis', ['read:tasks'], { method: 'POST', body: { type: 'code-analysis', input: RISKY } })).status).toBe(403);
  }, 30_000);
});
