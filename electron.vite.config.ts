import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';

/** The dev server injects <style> tags; only there does the CSP need 'unsafe-inline' for styles. */
function devStylesCsp(): Plugin {
  return {
    name: 'zenflow-dev-styles-csp',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace(/style-src 'self'[^;]*/, "style-src 'self' 'unsafe-inline'"),
  };
}

/**
 * One build for three targets: the Electron main bundle (which also holds the
 * headless `zenflow` CLI and the worker-thread entries, all plain Node), the
 * sandboxed preload (CommonJS, as sandboxed preloads must be), and the renderer,
 * which `zenflow serve` also serves as the web UI.
 */
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // keytar is an optional dependency, loaded at run time when installed: never bundled.
      externalizeDeps: { include: ['keytar'] },
      rollupOptions: {
        input: {
          index: resolve('electron/main/index.ts'),
          cli: resolve('electron/cli.ts'),
          'workers/analysis': resolve('electron/engines/analysis/analysis.worker.ts'),
          'workers/training': resolve('electron/engines/neural/training.worker.ts'),
        },
        output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve('electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [svelte(), devStylesCsp()],
    build: {
      outDir: 'out/renderer',
      // LAN clients load this on phones: ship it small, and runnable by current mobile browsers.
      minify: true,
      target: 'es2022',
      rollupOptions: { input: { index: resolve('renderer/index.html') } },
    },
  },
});
