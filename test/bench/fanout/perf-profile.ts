/**
 * Where a server process's CPU goes, from Linux `perf` (`npm run bench -- --perf DIR`): sampled
 * call stacks of every thread, kernel included, with JavaScript frames named through Node's
 * `--perf-basic-prof` map. V8's own CPU profile (`--cpu-prof`) cannot see the kernel or other
 * threads, and inflates native calls (libsql's) many times over; this is the profile the README's
 * explanation of the fan-out targets rests on.
 *
 * Each sample is put in the first bucket whose frames match, so a kernel send made from inside
 * the broadcast counts as a send, and a garbage collection during a command as GC.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

const FREQUENCY_HZ = 999;

export interface Bucket {
  name: string;
  matches: (frames: string[]) => boolean;
}

const any = (frames: string[], ...needles: string[]) => frames.some((f) => needles.some((n) => f.includes(n)));

export const BUCKETS: Bucket[] = [
  { name: 'JIT compiler and GC', matches: (f) => any(f, 'OptimizingCompileDispatcher', 'Scavenger', 'ConcurrentMarking', 'Sweeper', 'MarkCompact', 'Heap::CollectGarbage') },
  { name: 'kernel: sending to subscribers (writev)', matches: (f) => any(f, '__GI___writev', 'tcp_sendmsg') },
  { name: 'storage: SQLite and fsync', matches: (f) => any(f, 'fsync', 'pwrite', 'libsql', 'index.node', 'fcntl') },
  { name: 'broadcast in JS (adapter, Engine.IO, ws framing)', matches: (f) => any(f, 'broadcast-operator', 'in-memory-adapter') },
  { name: 'write completions (one per delivery)', matches: (f) => any(f, 'afterWriteTick', '_onSentLast', 'onDrain', 'streams/writable') },
  { name: 'the command and our delivery loop', matches: (f) => any(f, 'file:///') && !any(f, 'node_modules/tsx') },
  { name: 'receiving (ws, Socket.IO parser)', matches: (f) => any(f, 'ws/lib/receiver', 'socket.io-parser', 'onStreamRead', 'socket.io/dist', 'engine.io/build') },
  { name: 'kernel: interrupts and softirqs (ACKs in)', matches: (f) => any(f, 'handle_softirqs', 'asm_sysvec', 'irq_exit') },
  { name: 'everything else (event loop, timers, kernel)', matches: () => true },
];

/** Starts `perf record` on `pid`; `stop()` ends it and resolves once the file is written. */
export function recordPerf(pid: number, file: string): { stop(): Promise<void> } {
  const perf: ChildProcess = spawn('perf', ['record', '-q', '-F', String(FREQUENCY_HZ), '-g', '-p', String(pid), '-o', file], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve, reject) => {
    perf.once('error', (err) => reject(new Error(`perf record failed to start (is linux-perf installed?): ${err.message}`)));
    perf.once('exit', () => resolve());
  });
  return {
    async stop() {
      perf.kill('SIGINT');
      await exited;
    },
  };
}

/** CPU milliseconds per bucket in a `perf record` file (each sample stands for 1/FREQUENCY_HZ s of one thread). */
export async function bucketCpu(file: string): Promise<Map<string, number>> {
  const script = spawn('perf', ['script', '-i', file, '-F', 'comm,tid,ip,sym,dso'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const totals = new Map(BUCKETS.map((b) => [b.name, 0]));
  let frames: string[] | null = null;
  const settle = () => {
    if (!frames?.length) return;
    const bucket = BUCKETS.find((b) => b.matches(frames!))!;
    totals.set(bucket.name, totals.get(bucket.name)! + 1000 / FREQUENCY_HZ);
  };
  for await (const line of createInterface({ input: script.stdout! })) {
    if (line.trim() === '') {
      settle();
      frames = null;
    } else if (/^\s/.test(line)) frames?.push(line.trim());
    else frames = [];
  }
  settle();
  return totals;
}
