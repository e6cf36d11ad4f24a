import { describe, expect, it } from 'vitest';
import { ApiMetricsEngine } from '../../../electron/engines/api/api-engine';
import { ConfigEngine } from '../../../electron/engines/config/config-engine';
import { Optimizer, type OptimizeArgs } from '../../../electron/engines/config/system-optimizer';
import { SystemEngine } from '../../../electron/engines/system/system-engine';
import type { NeuralStats } from '../../../electron/engines/system/system-types';
import { advance, FakeSampler, testContext } from './helpers';

function setup(opts: { samplingCpuMs?: number; neural?: NeuralStats } = {}) {
  const t = testContext();
  const config = new ConfigEngine(t.ctx);
  const sampler = new FakeSampler();
  const api = new ApiMetricsEngine(t.ctx, { settings: config.source('api') });
  api.start();
  const measurement = async () => ({
    sample: { ...(await sampler.sample()), ts: t.clock.now() },
    settings: config.get('system'),
    samplingCpuMs: opts.samplingCpuMs ?? 40,
  });
  const optimizer = new Optimizer({
    bus: t.ctx.bus,
    config,
    system: { measurement },
    api,
    neuralStats: () => opts.neural ?? { activeNetworks: 0, trainingRuns: 0 },
  });
  const run = (args: Partial<OptimizeArgs> & Pick<OptimizeArgs, 'targets'>) => optimizer.optimize({ strategy: 'conservative', ...args }, 'alice');
  return { ...t, config, sampler, api, run };
}

describe('optimizer', () => {
  it('samples less often when CPU is high, through the audited config path', async () => {
    const { sampler, config, run, of } = setup();
    sampler.cpu = 92;
    const result = await run({ targets: ['cpu', 'memory'], strategy: 'balanced' });
    expect(result.applied).toEqual([expect.objectContaining({ target: 'cpu', component: 'system', setting: 'sampleIntervalMs', from: 5000, to: 10_000, version: 2 })]);
    const change = result.applied[0]!;
    // 40 ms per tick on 4 cores: 10 ms/core per tick; 1/5000 → 1/10000 saves 0.1% of the machine.
    expect(change.estimate.cpuIncrease).toBeCloseTo(-0.001, 9);
    expect(change.estimate.latencyIncrease).toBe(1);
    expect(change.reason).toContain('CPU at 92.0%');
    expect(result.skipped).toEqual([{ target: 'memory', reason: 'memory at 30.0% (warning 85%): nothing to relieve' }]);
    expect(config.get('system').sampleIntervalMs).toBe(10_000);
    expect(config.history('system').entries[0]).toMatchObject({ actor: 'alice', action: 'optimize', version: 2, reason: change.reason });
    expect(of('system:optimization:applied')).toEqual([expect.objectContaining({ strategy: 'balanced', actor: 'alice', applied: result.applied })]);
    expect(of('api:optimization:applied')).toEqual([]);
  });

  it('applies a change that costs CPU only inside maxCpuIncrease', async () => {
    const { config, run } = setup();
    config.update({ component: 'system', settings: { sampleIntervalMs: 20_000 } }, 'admin');
    // Idle host: going back from 20 s to 13 s sampling costs 10 ms/core × (1/13000 − 1/20000) ≈ 0.027%.
    const refused = await run({ targets: ['cpu'], safetyLimits: { maxCpuIncrease: 0.0001 } });
    expect(refused.applied).toEqual([]);
    expect(refused.skipped).toEqual([
      expect.objectContaining({ target: 'cpu', setting: 'system.sampleIntervalMs', proposed: 13_000, reason: expect.stringMatching(/exceeds maxCpuIncrease 0\.010%/) }),
    ]);
    expect(config.get('system').sampleIntervalMs).toBe(20_000);

    const accepted = await run({ targets: ['cpu'], safetyLimits: { maxCpuIncrease: 0.001 } });
    expect(accepted.applied).toMatchObject([{ setting: 'sampleIntervalMs', from: 20_000, to: 13_000 }]);
    expect(accepted.applied[0]!.estimate.cpuIncrease).toBeCloseTo(10 * (1 / 13_000 - 1 / 20_000), 12);
    expect(config.get('system').sampleIntervalMs).toBe(13_000);
  });

  it('respects maxLatencyIncrease and maxMemoryIncrease', async () => {
    const { sampler, config, run } = setup({ neural: { activeNetworks: 2, trainingRuns: 2 } });
    sampler.cpu = 92;
    const latency = await run({ targets: ['cpu'], safetyLimits: { maxLatencyIncrease: 0.25 } });
    expect(latency.applied).toEqual([]);
    expect(latency.skipped[0]!.reason).toMatch(/every 8 s instead of 5 s.*alert latency would rise 60%, over maxLatencyIncrease 25%/);

    // Both training slots busy on a roomy host: one more run costs about rss/total/2 of memory (0.61%).
    sampler.cpu = 10;
    const memory = await run({ targets: ['neural'], safetyLimits: { maxMemoryIncrease: 0.005 } });
    expect(memory.applied).toEqual([]);
    expect(memory.skipped[0]).toMatchObject({ target: 'neural', setting: 'neural.maxConcurrentRuns', proposed: 3 });
    expect(memory.skipped[0]!.reason).toMatch(/exceeds maxMemoryIncrease/);
    expect(config.get('neural').maxConcurrentRuns).toBe(2);

    const roomy = await run({ targets: ['neural'], safetyLimits: { maxMemoryIncrease: 0.01 } });
    expect(roomy.applied).toMatchObject([{ setting: 'maxConcurrentRuns', from: 2, to: 3 }]);
    expect(roomy.applied[0]!.estimate.memoryIncrease).toBeCloseTo(100 / 8192 / 2, 9);
  });

  it('raises the slow-request threshold when p95 is far above it and announces an api optimization', async () => {
    const { api, config, run, of } = setup();
    for (let i = 1; i <= 40; i++) api.recordRequest({ endpoint: '/api/tasks', method: 'GET', status: 200, durationMs: 2000 + i * 20 });
    const result = await run({ targets: ['api'] });
    // p95 of 2020..2800 is 2760 ms; conservative headroom 1.25 → 3450 → 3500.
    expect(result.applied).toMatchObject([{ target: 'api', setting: 'slowRequestThresholdMs', from: 1000, to: 3500 }]);
    expect(config.get('api').slowRequestThresholdMs).toBe(3500);
    expect(of('api:optimization:applied')).toEqual([
      expect.objectContaining({ type: 'slow-request-threshold', expectedImprovement: expect.stringContaining('instead of 100.0%') }),
    ]);
  });

  it('explains every skipped target with what it measured', async () => {
    const { api, run } = setup();
    api.recordRequest({ endpoint: '/api/tasks', method: 'GET', status: 200, durationMs: 5 });
    const result = await run({ targets: ['cpu', 'memory', 'disk', 'network', 'swarms', 'neural', 'api'] });
    expect(result.applied).toEqual([]);
    expect(Object.fromEntries(result.skipped.map((s) => [s.target, s.reason]))).toEqual({
      cpu: 'CPU at 10.0% (warning 80%), load 0.20 on 4 cores: no change needed',
      memory: 'memory at 30.0% (warning 85%): nothing to relieve',
      disk: 'disk at 40.0% of /data (warning 85%): no Zen Flow setting changes it materially',
      network: 'network receiving 1.0 KB/s and sending 0.5 KB/s: no Zen Flow setting to tune',
      swarms: 'no active swarms to optimize',
      neural: '0 training runs of at most 2, CPU at 10.0%, memory at 30.0%: no training to tune',
      api: 'only 1 requests in the last 10 s: too few to judge latency',
    });
  });

  it('works against the live system engine measurement', async () => {
    const t = testContext();
    const config = new ConfigEngine(t.ctx);
    const sampler = new FakeSampler();
    sampler.cpu = 97;
    const system = new SystemEngine(t.ctx, { sampler, settings: config.source('system') });
    system.start();
    await advance(t.clock, 10_000);
    const api = new ApiMetricsEngine(t.ctx);
    const optimizer = new Optimizer({ bus: t.ctx.bus, config, system, api });
    const result = await optimizer.optimize({ targets: ['cpu'], strategy: 'aggressive' }, 'alice');
    expect(result.applied).toMatchObject([{ setting: 'sampleIntervalMs', from: 5000, to: 15_000 }]);
    expect(result.applied[0]!.estimate.cpuIncrease).toBeLessThanOrEqual(0);
    expect(sampler.calls).toBe(3);
    await advance(t.clock, 30_000);
    expect(sampler.calls).toBe(5);
    system.stop();
  });
});
