import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread by entry name (`electron/engines/<area>/<name>.worker.ts`).
 * From source (tests, tsx) the TypeScript file runs through tsx, registered inside the worker; from the
 * electron-vite bundle the prebuilt `out/main/workers/<name>.js` runs as is.
 */
export function startWorker(area: string, name: string, options: WorkerOptions = {}): Worker {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    const source = pathToFileURL(join(dirname(here), area, `${name}.worker.ts`)).href;
    // Node 20 ignores loader flags in a worker's execArgv (nodejs/node#47747): register tsx inside the worker.
    const boot = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))};\nregister();\nawait import(${JSON.stringify(source)});`;
    return new Worker(boot, { ...options, eval: true });
  }
  const base = dirname(here);
  const built = [join(base, 'workers', `${name}.js`), join(base, '..', 'workers', `${name}.js`)].find((p) => existsSync(p));
  if (!built) throw new Error(`worker bundle ${name}.js not found next to ${base}`);
  return new Worker(built, options);
}
