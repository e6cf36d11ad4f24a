import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { HostSampler } from '../../../electron/engines/system/sampler';

describe('host sampler (real measurements)', () => {
  it('reports plausible numbers for this machine', async () => {
    const sampler = new HostSampler({ diskPath: process.cwd() });
    const first = await sampler.sample();
    // Burn some CPU so the second interval has work in it.
    const until = Date.now() + 150;
    while (Date.now() < until);
    const s = await sampler.sample();
    for (const sample of [first, s]) {
      expect(sample.cpu.usage).toBeGreaterThanOrEqual(0);
      expect(sample.cpu.usage).toBeLessThanOrEqual(100);
    }
    expect(s.cpu.cores).toBe(os.cpus().length);
    expect(s.cpu.load1).toBeGreaterThanOrEqual(0);

    const total = os.totalmem();
    expect(s.memory.total / total).toBeGreaterThan(0.9);
    expect(s.memory.total / total).toBeLessThan(1.1);
    // Used excludes reclaimable cache, so it lies between "used incl. cache" and zero.
    expect(s.memory.used).toBeGreaterThan(0);
    expect(s.memory.used).toBeLessThanOrEqual(total - os.freemem() + 64 * 1024 * 1024);
    expect(s.memory.usage).toBeCloseTo((s.memory.used / s.memory.total) * 100, 6);

    expect(s.disk.total).toBeGreaterThan(0);
    expect(s.disk.usage).toBeGreaterThanOrEqual(0);
    expect(s.disk.usage).toBeLessThanOrEqual(100);
    expect(s.network.rxBytesPerSec).toBeGreaterThanOrEqual(0);
    expect(s.network.txBytesPerSec).toBeGreaterThanOrEqual(0);
    expect(s.process.rss).toBeGreaterThan(10 * 1024 * 1024);
    expect(s.process.rss).toBeLessThan(total);
    // The busy loop ran in this process: it shows up in its CPU share.
    expect(s.process.cpu).toBeGreaterThan(0);
    expect(s.process.cpu).toBeLessThanOrEqual(100);
  });

  it('measures the nearest existing directory when the data dir does not exist yet', async () => {
    const s = await new HostSampler({ diskPath: `${process.cwd()}/no/such/dir` }).sample();
    expect(s.disk.path).toBe(process.cwd());
  });
});
