// Downloads the Electron binary that `npm start` needs. Electron's own install
// script is disabled (package.json allowScripts) because it fails the whole
// install where the binary can't be downloaded; here a failure only warns, so
// `npm install`, `npm run serve` and `npm test` still work without it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
let installScript;
try {
  installScript = join(dirname(require.resolve('electron/package.json')), 'install.js');
} catch {
  process.exit(0); // production install without devDependencies
}
if (!existsSync(installScript) || process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) process.exit(0);
const result = spawnSync(process.execPath, [installScript], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 });
if (result.status !== 0) {
  console.warn('zenflow: the Electron binary could not be downloaded; `npm start` needs it (retry with `node node_modules/electron/install.js`).');
  console.warn('zenflow: `npm run serve` and `npm test` do not need it.');
}
