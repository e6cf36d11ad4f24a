import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Finds a bundled data file or folder. The same code runs from TypeScript source,
 * from the electron-vite bundle (out/main/…) and from a packaged app, so it looks in
 * every ancestor of this module, then in `ZENFLOW_RESOURCES_DIR` and Electron's
 * `process.resourcesPath` (where electron-builder's extraResources land).
 */
export function locateData(relativePaths: readonly string[]): string {
  const roots: string[] = [];
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    roots.push(dir);
    if (dirname(dir) === dir) break;
  }
  const extra = [process.env.ZENFLOW_RESOURCES_DIR, (process as { resourcesPath?: string }).resourcesPath];
  for (const root of extra) if (root) roots.push(root);
  for (const root of roots) {
    for (const rel of relativePaths) {
      const candidate = join(root, rel);
      if (existsSync(candidate)) return candidate;
    }
  }
  throw new Error(`bundled data not found: ${relativePaths.join(' or ')}`);
}
