import { readFile, statfs } from 'node:fs/promises';
import os from 'node:os';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import si from 'systeminformation';
import type { HostSample, Sampler } from './system-types';

/** Rates need a real interval; the first sample waits this long after its baseline. */
const MIN_SPAN_MS = 200;

type CpuTimes = { idle: number; total: number };
type Counters = Map<string, { rx: number; tx: number }>;
interface Baseline {
  at: number;
  cpu: CpuTimes;
  net: Counters;
  proc: NodeJS.CpuUsage;
}

function cpuTimes(): CpuTimes {
  let idle = 0;
  let total = 0;
  for (const { times } of os.cpus()) {
    idle += times.idle;
    total += times.user + times.nice + times.sys + times.idle + times.irq;
  }
  return { idle, total };
}

/** Linux: /proc/net/dev is one cheap read; elsewhere systeminformation asks the OS. Loopback is left out. */
async function netCounters(): Promise<Counters> {
  const counters: Counters = new Map();
  if (process.platform === 'linux') {
    const text = await readFile('/proc/net/dev', 'utf8');
    for (const line of text.split('\n').slice(2)) {
      const [name, rest] = line.split(':');
      const iface = name?.trim();
      if (!iface || !rest || iface === 'lo') continue;
      const fields = rest.trim().split(/\s+/).map(Number);
      counters.set(iface, { rx: fields[0] ?? 0, tx: fields[8] ?? 0 });
    }
    return counters;
  }
  const internal = new Set(
    Object.entries(os.networkInterfaces())
      .filter(([, addrs]) => addrs?.some((a) => a.internal))
      .map(([iface]) => iface),
  );
  for (const s of await si.networkStats('*')) {
    if (!internal.has(s.iface)) counters.set(s.iface, { rx: s.rx_bytes, tx: s.tx_bytes });
  }
  return counters;
}

/** Counters reset when an interface goes down and up; such an interface adds nothing for that interval. */
function rates(before: Counters, after: Counters, seconds: number): { rxBytesPerSec: number; txBytesPerSec: number } {
  let rx = 0;
  let tx = 0;
  for (const [iface, now] of after) {
    const prev = before.get(iface);
    if (!prev || now.rx < prev.rx || now.tx < prev.tx) continue;
    rx += now.rx - prev.rx;
    tx += now.tx - prev.tx;
  }
  return { rxBytesPerSec: rx / seconds, txBytesPerSec: tx / seconds };
}

/** df's notion of use: blocks reserved for root count as neither used nor available. */
async function diskUsage(path: string): Promise<HostSample['disk']> {
  let target = path;
  for (;;) {
    try {
      const s = await statfs(target);
      const used = (s.blocks - s.bfree) * s.bsize;
      const avail = s.bavail * s.bsize;
      return { usage: used + avail > 0 ? (used / (used + avail)) * 100 : 0, used, total: s.blocks * s.bsize, path: target };
    } catch (err) {
      const parent = dirname(target);
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || parent === target) throw err;
      target = parent;
    }
  }
}

/**
 * Measures the host: CPU from CPU-time deltas, memory from available memory,
 * disk of the data directory's filesystem, network rates from counter deltas,
 * load average and this process. Deltas run from the previous call.
 */
export class HostSampler implements Sampler {
  private last: Baseline | null = null;

  constructor(private readonly options: { diskPath: string }) {}

  async sample(): Promise<HostSample> {
    const previous = await this.baseline();
    const [net, mem, disk] = await Promise.all([netCounters(), si.mem(), diskUsage(this.options.diskPath)]);
    const cpu = cpuTimes();
    const proc = process.cpuUsage();
    const at = performance.now();
    this.last = { at, cpu, net, proc };

    const elapsedMs = at - previous.at;
    const cores = os.cpus().length || 1;
    const totalDelta = cpu.total - previous.cpu.total;
    const usage = totalDelta > 0 ? (1 - (cpu.idle - previous.cpu.idle) / totalDelta) * 100 : 0;
    const procMicros = proc.user - previous.proc.user + (proc.system - previous.proc.system);
    const [load1 = 0, load5 = 0, load15 = 0] = os.loadavg();
    const used = mem.total - mem.available;
    return {
      cpu: { usage: clampPercent(usage), cores, load1, load5, load15 },
      memory: { usage: mem.total > 0 ? (used / mem.total) * 100 : 0, used, total: mem.total, available: mem.available },
      disk,
      network: rates(previous.net, net, elapsedMs / 1000),
      process: { rss: process.memoryUsage.rss(), cpu: clampPercent((procMicros / 1000 / elapsedMs / cores) * 100) },
    };
  }

  /** The previous call's counters, or fresh ones followed by a short wait so the first rates are real. */
  private async baseline(): Promise<Baseline> {
    if (!this.last) this.last = { at: performance.now(), cpu: cpuTimes(), net: await netCounters(), proc: process.cpuUsage() };
    const wait = MIN_SPAN_MS - (performance.now() - this.last.at);
    if (wait > 0) await delay(wait);
    return this.last;
  }
}

function clampPercent(value: number): number {
  return Math.min(100, Math.max(0, value));
}
