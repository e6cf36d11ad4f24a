import { describe, expect, it } from 'vitest';
import { AlertMonitor, describeChange, type AlertPolicy } from '../../../electron/engines/system/alerts';
import { SystemEngine } from '../../../electron/engines/system/system-engine';
import { ConfigEngine } from '../../../electron/engines/config/config-engine';
import { defaultsOf } from '../../../electron/engines/config/schemas';
import { advance, FakeSampler, flush, testContext } from './helpers';

const policy: AlertPolicy = {
  thresholds: { cpu: { warning: 80, critical: 95 }, memory: { warning: 85, critical: 95 }, disk: { warning: 85, critical: 95 } },
  hysteresis: 5,
  minDurationMs: 15_000,
};

describe('alert monitor', () => {
  it('raises only after the crossing has held for the minimum duration', () => {
    const m = new AlertMonitor();
    expect(m.observe('cpu', 90, 0, policy)).toBeNull();
    expect(m.observe('cpu', 90, 10_000, policy)).toBeNull();
    expect(m.observe('cpu', 90, 15_000, policy)).toEqual({ component: 'cpu', from: 'normal', to: 'warning', value: 90, threshold: 80 });
    expect(m.level('cpu')).toBe('warning');
  });

  it('escalates, eases and recovers with hysteresis', () => {
    const m = new AlertMonitor();
    const p = { ...policy, minDurationMs: 0 };
    expect(m.observe('memory', 97, 0, p)).toMatchObject({ from: 'normal', to: 'critical', threshold: 95 });
    expect(m.observe('memory', 92, 1, p)).toBeNull(); // within hysteresis of 95
    expect(m.observe('memory', 89, 2, p)).toMatchObject({ from: 'critical', to: 'warning', threshold: 95 });
    expect(m.observe('memory', 82, 3, p)).toBeNull(); // 82 ≥ 85 − 5
    expect(m.observe('memory', 79, 4, p)).toMatchObject({ from: 'warning', to: 'normal', threshold: 85 });
  });

  it('an eased alert never claims a value is above a threshold it is below', () => {
    const above = describeChange({ component: 'cpu', from: 'critical', to: 'warning', value: 88, threshold: 95 }, policy);
    expect(above).toMatch(/88\.0%.*still at or above the warning threshold 80%/);
    const below = describeChange({ component: 'cpu', from: 'critical', to: 'warning', value: 18.8, threshold: 95 }, policy);
    expect(below).not.toMatch(/above/);
    expect(below).toMatch(/18\.8%, below the critical threshold 95%; the warning level clears once usage stays below 75% for 15 s/);
  });

  it('does not flap when a value hovers around a threshold', () => {
    const m = new AlertMonitor();
    const changes = [];
    for (let i = 0; i < 200; i++) {
      const value = i % 2 === 0 ? 81 : 78; // dips below 80 every other sample, never below 75
      const c = m.observe('cpu', value, i * 5000, policy);
      if (c) changes.push(c);
    }
    // Never 15 s continuously above 80: no alert at all.
    expect(changes).toEqual([]);
    const m2 = new AlertMonitor();
    const changes2 = [];
    for (let i = 0; i < 200; i++) {
      const c = m2.observe('cpu', i < 10 ? 85 : i % 2 === 0 ? 81 : 77, i * 5000, policy);
      if (c) changes2.push(c);
    }
    // Raised once; the hovering afterwards stays within the hysteresis band, so it never clears.
    expect(changes2.map((c) => c.to)).toEqual(['warning']);
  });
});

describe('system engine alerts', () => {
  it('alerts on a crossing, persists it, recovers, and can be acknowledged', async () => {
    const { ctx, clock, of } = testContext();
    const sampler = new FakeSampler();
    const engine = new SystemEngine(ctx, { sampler });
    engine.start();
    await flush();
    sampler.cpu = 90;
    await advance(clock, 30_000);
    const raised = of('system:alert');
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ severity: 'warning', component: 'cpu', value: 90, threshold: 80, recovered: false });
    expect(String(raised[0]!.message)).toContain('90.0%');
    expect((await engine.getStatus()).health.overall).toBe('degraded');

    sampler.cpu = 40;
    await advance(clock, 30_000);
    const all = of('system:alert');
    expect(all).toHaveLength(2);
    expect(all[1]).toMatchObject({ severity: 'info', component: 'cpu', recovered: true, threshold: 80, resolves: raised[0]!.id });
    expect((await engine.getStatus()).health.overall).toBe('healthy');

    const stored = engine.alerts();
    expect(stored.map((a) => a.severity)).toEqual(['info', 'warning']);
    expect(stored[1]!.resolvedAt).not.toBeNull();
    expect(Object.keys(stored[0]!)).not.toContain('_metadata');
    const acked = engine.acknowledgeAlert(String(raised[0]!.id), 'alice');
    expect(acked).toMatchObject({ acknowledgedBy: 'alice', acknowledgedAt: clock.now() });
    expect(engine.alerts({ unacknowledgedOnly: true }).map((a) => a.id)).toEqual([all[1]!.id]);
    expect(() => engine.acknowledgeAlert('nope', 'alice')).toThrow(/no alert/);
    engine.stop();
  });

  it('does not flap while a measurement hovers around the threshold', async () => {
    const { ctx, clock, of } = testContext();
    const sampler = new FakeSampler();
    const engine = new SystemEngine(ctx, { sampler });
    engine.start();
    sampler.cpu = 85;
    await advance(clock, 30_000);
    // Hover between 77 and 83 for ten minutes: inside the 5-point hysteresis band below 80.
    await advance(clock, 600_000, 5000, (t) => (sampler.cpu = (t / 5000) % 2 === 0 ? 83 : 77));
    expect(of('system:alert').map((a) => a.severity)).toEqual(['warning']);
    engine.stop();
  });

  it('goes critical and says so in the health status', async () => {
    const { ctx, clock, of } = testContext();
    const sampler = new FakeSampler();
    sampler.memory = 97;
    const engine = new SystemEngine(ctx, { sampler });
    engine.start();
    await advance(clock, 20_000);
    expect(of('system:alert').map((a) => a.severity)).toEqual(['critical']);
    const status = await engine.getStatus();
    expect(status.health.overall).toBe('critical');
    expect(status.health.reasons[0]).toMatch(/memory 97\.0% \(critical; threshold 95%\)/);
    expect(status.health.score).toBeLessThan(40);
    engine.stop();
  });

  it('applies threshold changes from the config engine immediately', async () => {
    const { ctx, of } = testContext();
    const config = new ConfigEngine(ctx);
    const sampler = new FakeSampler();
    sampler.cpu = 50;
    const engine = new SystemEngine(ctx, { sampler, settings: config.source('system') });
    engine.start();
    await flush();
    expect(of('system:alert')).toHaveLength(0);
    config.update({ component: 'system', settings: { cpuWarning: 40, alertMinDurationMs: 0 } }, 'admin');
    expect(of('system:alert')).toMatchObject([{ severity: 'warning', component: 'cpu', threshold: 40 }]);
    expect(defaultsOf('system').cpuWarning).toBe(80);
    engine.stop();
  });
});
