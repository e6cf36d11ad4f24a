/**
 * The bench's server process: starts one scenario's server and answers the runner over IPC with
 * its CPU time, memory (after a full GC) and the worst event-loop stall since the last ask. A
 * scenario whose server runs in processes of its own reports their CPU and memory instead (no
 * forced GC, no stall figure: this process's loop is not theirs).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { SCENARIOS } from './scenarios';

export type ServerRequest = { type: 'stats'; gc?: boolean } | { type: 'stop' };
export interface ServerStats {
  cpuMicros: number;
  heapUsed: number;
  rss: number;
  /** Longest event-loop stall (ms) since the previous stats; NaN when the server is not this process. */
  maxStallMs: number;
}

const scenario = SCENARIOS[process.argv[2] ?? ''];
if (!scenario) throw new Error(`unknown scenario ${process.argv[2]}`);
const handle = await scenario.start();
const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
const gc = (globalThis as { gc?: () => void }).gc;

process.on('message', (msg: ServerRequest) => {
  if (msg.type === 'stop') {
    void handle.close().finally(() => process.exit(0));
    return;
  }
  void stats(msg.gc ?? false).then((stats) => process.send!({ type: 'stats', stats }));
});

async function stats(withGc: boolean): Promise<ServerStats> {
  if (handle.usage) return { ...(await handle.usage(withGc)), maxStallMs: NaN };
  if (withGc) for (let i = 0; i < 3; i++) gc?.();
  const cpu = process.cpuUsage();
  const mem = process.memoryUsage();
  const result = { cpuMicros: cpu.user + cpu.system, heapUsed: mem.heapUsed, rss: mem.rss, maxStallMs: loop.max / 1e6 };
  loop.reset();
  return result;
}
process.send!({ type: 'ready', url: handle.url, subscriberUrls: handle.subscriberUrls, token: handle.token });
