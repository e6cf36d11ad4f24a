import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUILT = `${ROOT}out/main/cli.js`;

/** The `zenflow` command as users run it: the built bundle when present, else the source through tsx. */
export function cliCommand(): { cmd: string; args: string[] } {
  return existsSync(BUILT)
    ? { cmd: process.execPath, args: [BUILT] }
    : { cmd: process.execPath, args: ['--import', 'tsx', `${ROOT}electron/cli.ts`] };
}

export interface CliProcess {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Waits until stdout matches, returning the match. */
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const { cmd, args: base } = cliCommand();
  const child = spawn(cmd, [...base, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
  let out = '';
  let err = '';
  const watchers: (() => void)[] = [];
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    watchers.forEach((w) => w());
  });
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(pattern, ms = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = out.match(pattern);
          if (m) {
            clearTimeout(timer);
            resolve(m);
          }
        };
        const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${ms} ms\nstdout: ${out}\nstderr: ${err}`)), ms);
        watchers.push(check);
        check();
        void exited.then(() => {
          if (!out.match(pattern)) {
            clearTimeout(timer);
            reject(new Error(`exited before ${pattern}\nstdout: ${out}\nstderr: ${err}`));
          }
        });
      });
    },
  };
}

/** Runs a CLI command to completion. */
export async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = runCli(args, env);
  const { code } = await p.exited;
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}
