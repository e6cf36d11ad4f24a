import { describe, expect, it } from 'vitest';
import { ConfigEngine } from '../../../electron/engines/config/config-engine';
import { SystemEngine } from '../../../electron/engines/system/system-engine';
import { MetricsHistory } from '../../../electron/engines/system/history';
import type { TimedSample } from '../../../electron/engines/system/system-types';
import { openAppDatabase } from '../../../electron/engines/migrations';
import { advance, FakeSampler, testContext } from './helpers';

const T0 = 1_700_000_000_000;
const sampleAt = (ts: number, cpu: number): TimedSample => ({
  ts,
  cpu: { usage: cpu, cores: 2, load1: 1, load5: 1, load15: 1 },
  memory: { usage: 50, used: 1, total: 2, available: 1 },
  disk: { usage: 10, used: 1, total: 10, path: '/' },
  network: { rxBytesPerSec: cpu * 10, txBytesPerSec: 0 },
  process: { rss: 1, cpu: 0 },
});

describe('metrics history', () => {
  it('averages into equal time buckets', () => {
    const history = new MetricsHistory(openAppDatabase(':memory:'));
    // 60 samples 5 s apart; cpu = index.
    for (let i = 0; i < 60; i++) history.add(sampleAt(T0 + i * 5000, i), 86_400_000);
    const points = history.range(T0, T0 + 299_999, 6);
    expect(points).toHaveLength(6);
    // Each 50 s bucket holds 10 samples: cpu means 4.5, 14.5, …
    expect(points.map((p) => p.cpu)).toEqual([4.5, 14.5, 24.5, 34.5, 44.5, 54.5]);
    expect(points.map((p) => p.rxBytesPerSec)).toEqual([45, 145, 245, 345, 445, 545]);
    expect(points[0]!.ts).toBe(T0 + 22_500);
    expect(Object.keys(points[0]!)).not.toContain('_metadata');
    // More buckets than samples: each point is one sample.
    expect(history.range(T0, T0 + 299_999, 1000)).toHaveLength(60);
    // A window selects only its samples.
    expect(history.range(T0 + 100_000, T0 + 299_999, 1000).map((p) => p.cpu)[0]).toBe(20);
  });

  it('prunes beyond the retention as it inserts', () => {
    const db = openAppDatabase(':memory:');
    const history = new MetricsHistory(db);
    for (let i = 0; i < 100; i++) history.add(sampleAt(T0 + i * 60_000, i), 30 * 60_000);
    const count = (db.prepare('SELECT COUNT(*) AS n FROM metrics_history').get() as { n: number }).n;
    expect(count).toBe(31); // the newest sample and the 30 minutes before it
    expect(history.range(T0, T0 + 100 * 60_000, 1000)[0]!.cpu).toBe(69);
  });

  it('serves 15 min / 1 h / 24 h charts from the engine, within the configured retention', async () => {
    const { ctx, clock } = testContext();
    const config = new ConfigEngine(ctx);
    config.update({ component: 'system', settings: { historyRetentionMs: 3_600_000 } }, 'admin');
    const engine = new SystemEngine(ctx, { sampler: new FakeSampler(), settings: config.source('system') });
    engine.start();
    await advance(clock, 2 * 3_600_000, 5000);
    const now = clock.now();
    const quarter = engine.history(now - 15 * 60_000, 90);
    expect(quarter).toHaveLength(90); // 180 samples into 90 buckets
    const hour = engine.history(now - 3_600_000, 120);
    expect(hour.length).toBeLessThanOrEqual(120);
    expect(hour.length).toBeGreaterThanOrEqual(119);
    const day = engine.history(now - 86_400_000, 288);
    // Only the last hour is retained.
    expect(day[0]!.ts).toBeGreaterThanOrEqual(now - 3_600_000);
    const stored = (ctx.db.prepare('SELECT COUNT(*) AS n FROM metrics_history').get() as { n: number }).n;
    expect(stored).toBe(721);
    expect(quarter.every((p) => p.cpu === 10 && p.memory === 30)).toBe(true);
    engine.stop();
  });
});
