import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser';
import { startTestServer, type TestServer } from '../helpers/server';
import type { ServerOptionsInput } from '../../electron/server/options';

/** The built web UI, as `zenflow serve` serves it (`npm test` builds before running these). */
export const WEB_ROOT = fileURLToPath(new URL('../../out/renderer', import.meta.url));

export interface UiHarness {
  server: TestServer;
  browser: Browser;
  /** Opens the UI the way the printed URL does: `/?token=…`, optionally at a hash route. */
  open(options?: { token?: string; route?: string; viewport?: { width: number; height: number }; colorScheme?: 'light' | 'dark' }): Promise<UiPage>;
  close(): Promise<void>;
}

export interface UiPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and CSP reports seen so far. */
  problems: string[];
  waitConnected(): Promise<void>;
  go(route: string): Promise<void>;
}

export async function startUi(options: ServerOptionsInput = {}): Promise<UiHarness> {
  if (!existsSync(`${WEB_ROOT}/index.html`)) throw new Error(`the web UI is not built (${WEB_ROOT}): run npm run build first`);
  const server = await startTestServer({ webRoot: WEB_ROOT, engines: true, ...options });
  const browser = await launchChromium();
  const contexts: BrowserContext[] = [];
  const harness: UiHarness = {
    server,
    browser,
    async open(opts = {}) {
      const context = await browser.newContext({
        viewport: opts.viewport ?? { width: 1400, height: 900 },
        colorScheme: opts.colorScheme ?? 'light',
        // A TLS test server's certificate is self-signed or from a test CA; tests compare its fingerprint themselves.
        ignoreHTTPSErrors: harness.server.url.startsWith('https:'),
      });
      contexts.push(context);
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (m: ConsoleMessage) => {
        if (m.type() === 'error' && !/Failed to load resource|WebSocket connection/.test(m.text())) problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      const token = opts.token ?? (await harness.server.token());
      await page.goto(`${harness.server.url}/?token=${encodeURIComponent(token)}${opts.route ? `#/${opts.route}` : ''}`);
      return {
        page,
        context,
        problems,
        waitConnected: () => page.locator('.conn').getByText('Connected', { exact: true }).waitFor({ timeout: 15_000 }),
        async go(route: string) {
          await page.evaluate(`location.hash = ${JSON.stringify(`#/${route}`)}`);
        },
      };
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
      await harness.server.close();
    },
  };
  return harness;
}

/** Resolves when `read()` returns a value that satisfies `ok`, polling. */
export async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000, every = 250): Promise<T> {
  const until = Date.now() + ms;
  let last: T = await read();
  while (!ok(last)) {
    if (Date.now() > until) throw new Error(`condition not met within ${ms} ms (last value: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, every));
    last = await read();
  }
  return last;
}

/** Number of points a chart drew at its last update. */
export function chartPoints(page: Page, label: string): Promise<number> {
  return page
    .locator(`[role=img][aria-label^="${label}:"]`)
    .first()
    .getAttribute('data-points')
    .then((v) => Number(v ?? 0));
}
