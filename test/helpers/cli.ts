import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUILT = `${ROOT}out/main/cli.js`;
/** What the CLI bundle is built from. */
const SOURCES = ['electron', 'shared'];

/** The newest source file the bundle is built from, with its modification time. */
function newestSource(): { file: string; mtimeMs: number } {
  let newest = { file: '', mtimeMs: 0 };
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        const { mtimeMs } = statSync(path);
        if (mtimeMs > newest.mtimeMs) newest = { file: path, mtimeMs };
      }
    }
  };
  for (const dir of SOURCES) walk(join(ROOT, dir));
  return newest;
}

let checked: { cmd: string; args: string[] } | null = null;

/**
 * The `zenflow` command as users run it: the built bundle when present, else the source through tsx.
 * A bundle older than its source would test yesterday's code, so that fails here, naming the file.
 */
export function cliCommand(): { cmd: string; args: string[] } {
  if (checked) return checked;
  if (!existsSync(BUILT)) return (checked = { cmd: process.execPath, args: ['--import', 'tsx', `${ROOT}electron/cli.ts`] });
  const source = newestSource();
  if (source.mtimeMs > statSync(BUILT).mtimeMs) {
    throw new Error(`out/main/cli.js is older than ${source.file.slice(ROOT.length)}: run \`npm run build\` (or delete out/ to test the source through tsx)`);
  }
  return (checked = { cmd: process.execPath, args: [BUILT] });
}

export interface CliProcess {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Waits until stdout matches, returning the match. */
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
  /** Waits until stderr (the log) matches, returning the match. */
  waitForStderr(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const { cmd, args: base } = cliCommand();
  const child = spawn(cmd, [...base, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
  const text = { out: '', err: '' };
  const watchers: (() => void)[] = [];
  child.stdout.on('data', (d: Buffer) => {
    text.out += d.toString();
    watchers.forEach((w) => w());
  });
  child.stderr.on('data', (d: Buffer) => {
    text.err += d.toString();
    watchers.forEach((w) => w());
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const waitOn = (stream: 'out' | 'err', pattern: RegExp, ms: number): Promise<RegExpMatchArray> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const m = text[stream].match(pattern);
        if (m) {
          clearTimeout(timer);
          resolve(m);
        }
      };
      const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${ms} ms\nstdout: ${text.out}\nstderr: ${text.err}`)), ms);
      watchers.push(check);
      check();
      void exited.then(() => {
        if (!text[stream].match(pattern)) {
          clearTimeout(timer);
          reject(new Error(`exited before ${pattern}\nstdout: ${text.out}\nstderr: ${text.err}`));
        }
      });
    });
  return {
    child,
    stdout: () => text.out,
    stderr: () => text.err,
    exited,
    waitFor: (pattern, ms = 10_000) => waitOn('out', pattern, ms),
    waitForStderr: (pattern, ms = 10_000) => waitOn('err', pattern, ms),
  };
}

/** Runs a CLI command to completion. */
export async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = runCli(args, env);
  const { code } = await p.exited;
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}
