import { describe, expect, it } from 'vitest';
import { ConfigEngine } from '../../../electron/engines/config/config-engine';
import { SystemEngine } from '../../../electron/engines/system/system-engine';
import { advance, FakeSampler, flush, testContext } from './helpers';

describe('system engine', () => {
  it('publishes status every 5 s and metrics every 10 s', async () => {
    const { ctx, clock, of } = testContext();
    const engine = new SystemEngine(ctx, {
      sampler: new FakeSampler(),
      swarmStats: () => ({ active: 2, agents: 7, efficiency: 0.81 }),
      neuralStats: () => ({ activeNetworks: 1, trainingRuns: 0 }),
    });
    engine.start();
    await advance(clock, 60_000);
    const statuses = of('system:status');
    const metrics = of('system:metrics');
    expect(statuses).toHaveLength(12);
    expect(metrics).toHaveLength(6);
    const t = statuses.map((s) => s.timestamp as number);
    expect(t.slice(1).map((x, i) => x - t[i]!)).toEqual(Array(11).fill(5000));
    expect(statuses[0]).toMatchObject({
      health: { overall: 'healthy' },
      performance: { cpu: 10, memory: 30, disk: 40, load1: 0.2 },
      swarms: { active: 2, agents: 7 },
      neural: { activeNetworks: 1, trainingRuns: 0 },
    });
    expect(metrics[0]).toMatchObject({
      cpu: { usage: 10, cores: 4 },
      memory: { usage: 30 },
      network: { rxBytesPerSec: 1000, txBytesPerSec: 500 },
      swarmCoordination: { efficiency: 0.81 },
    });
    engine.stop();
    await advance(clock, 30_000);
    expect(of('system:status')).toHaveLength(12);
  });

  it('measures at once for system:status:get when nothing was sampled yet', async () => {
    const { ctx } = testContext();
    const sampler = new FakeSampler();
    const engine = new SystemEngine(ctx, { sampler });
    expect(engine.latestStatus()).toBeNull();
    const status = await engine.getStatus();
    expect(engine.latestStatus()).toEqual(status);
    expect(sampler.calls).toBe(1);
    expect(status.performance.cpu).toBe(10);
    expect(status.health).toEqual({ overall: 'healthy', score: expect.any(Number), reasons: [] });
    await engine.getStatus();
    expect(sampler.calls).toBe(1);
  });

  it('follows a changed sample interval', async () => {
    const { ctx, clock } = testContext();
    const config = new ConfigEngine(ctx);
    const sampler = new FakeSampler();
    const engine = new SystemEngine(ctx, { sampler, settings: config.source('system') });
    engine.start();
    await advance(clock, 60_000);
    expect(sampler.calls).toBe(13); // the first sample at start, then one every 5 s
    config.update({ component: 'system', settings: { sampleIntervalMs: 15_000 } }, 'admin');
    await advance(clock, 60_000);
    expect(sampler.calls).toBe(17);
    engine.stop();
  });

  it('predicts a threshold crossing from a steady rise, with time to issue', async () => {
    const { ctx, clock, of } = testContext();
    const sampler = new FakeSampler();
    sampler.memory = 50;
    const engine = new SystemEngine(ctx, { sampler });
    engine.start();
    await flush();
    // +1 point per minute: from 50% the 85% warning is 35 min away.
    await advance(clock, 5 * 60_000, 5000, () => (sampler.memory += 5000 / 60_000));
    const predictions = of('system:prediction');
    expect(predictions.length).toBeGreaterThanOrEqual(1);
    const latest = predictions.at(-1)!;
    expect(latest).toMatchObject({ component: 'memory', severity: 'warning', threshold: 85 });
    expect(latest.slope).toBeCloseTo(1, 6);
    expect(latest.confidence as number).toBeGreaterThan(0.6);
    expect(latest.confidence as number).toBeLessThanOrEqual(1);
    // An exact line: time to issue is (85 − current) minutes from the sample that announced it.
    for (const p of predictions) expect(Math.abs((p.timeToIssue as number) - (85 - (p.current as number)) * 60_000)).toBeLessThan(500);
    expect(engine.predictions()[0]!.timeToIssue).toBeCloseTo((85 - sampler.memory) * 60_000, -3);
    // Repeated at most once a minute while it holds.
    expect(predictions.length).toBeLessThanOrEqual(5);
    expect(engine.predictions()).toHaveLength(1);
    expect((await engine.getStatus()).predictions[0]).toMatchObject({ id: 'memory:warning' });
    // The flat CPU and disk series predict nothing.
    expect(predictions.every((p) => p.component === 'memory')).toBe(true);
    engine.stop();
  });

  it('derives recommendations from measurements and filters them by severity and focus', async () => {
    const { ctx, clock } = testContext();
    const sampler = new FakeSampler();
    sampler.memory = 96; // critical
    sampler.cpu = 75; // within 10 points of the 80% warning: medium
    sampler.load1 = 9; // more than twice the 4 cores: high
    const engine = new SystemEngine(ctx, { sampler, swarmStats: () => ({ active: 3, agents: 12, efficiency: 0.3 }) });
    engine.start();
    await advance(clock, 20_000);
    const { recommendations: all } = await engine.recommendations();
    const bySev = Object.fromEntries(all.map((r) => [r.id, r.severity]));
    expect(bySev).toMatchObject({ 'memory-usage': 'critical', 'cpu-load': 'high', 'cpu-usage': 'medium', 'swarm-efficiency': 'medium' });
    expect(all.find((r) => r.id === 'memory-usage')!.reason).toContain('96.0%');
    expect(all.find((r) => r.id === 'cpu-load')!.reason).toContain('9.00 on 4 cores');
    const high = (await engine.recommendations({ severity: 'high-and-above' })).recommendations;
    expect(high.map((r) => r.id).sort()).toEqual(['cpu-load', 'memory-usage']);
    const medium = (await engine.recommendations({ severity: 'medium' })).recommendations;
    expect(medium.every((r) => r.severity === 'medium')).toBe(true);
    const focused = (await engine.recommendations({ focus: ['resource-usage'], severity: 'medium-and-above' })).recommendations;
    expect(focused.map((r) => r.id)).toEqual(['memory-usage']);
    expect((await engine.recommendations({ focus: 'swarms' })).recommendations.map((r) => r.id)).toEqual(['swarm-efficiency']);
    engine.stop();
  });

  it('recommends nothing for a quiet host', async () => {
    const { ctx } = testContext();
    const engine = new SystemEngine(ctx, { sampler: new FakeSampler() });
    expect((await engine.recommendations({ severity: 'low-and-above' })).recommendations).toEqual([]);
  });
});
