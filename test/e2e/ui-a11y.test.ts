import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUi, type UiHarness } from './ui-support';

/** axe-core's source, evaluated through the DevTools protocol (the app's CSP rightly refuses injected script tags). */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Runs axe-core in the page; returns the serious and critical violations, one line per node. */
async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate<boolean>("'axe' in window"))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate<Violation[]>("axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations)");
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${v.help} — ${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1, 2).join('').trim() ?? ''}`));
}

/** --bg of each theme, as the page's computed background. */
const BACKGROUND = { light: 'rgb(245, 246, 248)', dark: 'rgb(15, 18, 23)' } as const;
const pageBackground = (page: Page) => page.evaluate<string>('getComputedStyle(document.body).backgroundColor');

/** Every route (and the tabs that show different content), as a user reaches them. */
const ROUTES = [
  'overview',
  'system',
  'swarms',
  'SWARM',
  'AGENT',
  'TASK',
  'WORKFLOW',
  'RUN',
  'tasks',
  'tasks?tab=workflows',
  'tasks?tab=analysis',
  'neural',
  'api',
  'timeline',
  'events',
  'settings/connection',
  'settings/lan',
  'settings/access',
  'settings/config',
  'settings/delivery',
  'settings/appearance',
];

describe('web UI: accessibility (axe-core) on every route, light and dark', () => {
  let ui: UiHarness;
  let swarmId = '';
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    ui = await startUi({ simSpeed: 5 });
    const client = await ui.server.client();
    const swarm = (await client.request('swarm:create', { name: 'Star', topology: 'hierarchical', agents: 3 })) as { id: string; agents: { id: string }[] };
    swarmId = swarm.id;
    ids.SWARM = `swarms/${swarm.id}`;
    ids.AGENT = `swarms/${swarm.id}/agent/${swarm.agents[0]!.id}`;
    ids.TASK = `tasks/task/${((await client.request('task:create', { title: 'Axe task', priority: 'high' })) as { id: string }).id}`;
    const wf = (await client.request('workflow:create', {
      name: 'Axe flow',
      steps: [
        { id: 'a', title: 'A' },
        { id: 'b', title: 'B', dependsOn: ['a'] },
      ],
    })) as { id: string };
    ids.WORKFLOW = `tasks/workflow/${wf.id}`;
    const run = (await client.request('neural:training:start', {
      networkId: 'axe-net',
      dataset: 'iris',
      config: { epochs: 3, learningRate: 0.05, batchSize: 16, validation: 0.2 },
    })) as { runId: string };
    ids.RUN = `neural/run/${run.runId}`;
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('keyboard: Tab walks the frame in reading order, every stop shows a visible focus ring', async () => {
    const { page, waitConnected } = await ui.open();
    await waitConnected();
    const stops: { name: string; ring: boolean; top: number; left: number }[] = [];
    for (let i = 0; i < 16; i++) {
      await page.keyboard.press('Tab');
      stops.push(
        await page.evaluate<{ name: string; ring: boolean; top: number; left: number }>(`(() => {
          const el = document.activeElement;
          const cs = getComputedStyle(el);
          const r = el.getBoundingClientRect();
          const ring = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 1) || (cs.boxShadow !== 'none' && cs.boxShadow !== '');
          return { name: (el.getAttribute('aria-label') ?? el.textContent ?? el.tagName).trim().slice(0, 40), ring, top: r.top, left: r.left };
        })()`),
      );
    }
    expect(stops[0]!.name).toBe('Skip to content');
    expect(stops.filter((s) => !s.ring)).toEqual([]);
    // The sidebar's links come first, top to bottom, then the top bar.
    const nav = stops.slice(1).filter((s) => s.left < 220);
    expect(nav.length).toBeGreaterThanOrEqual(9);
    for (let i = 1; i < nav.length; i++) expect(nav[i]!.top).toBeGreaterThanOrEqual(nav[i - 1]!.top);
  }, 60_000);

  it('command palette: Enter opens the highlighted match ("Star" opens the swarm, not a training run)', async () => {
    const { page, waitConnected } = await ui.open();
    await waitConnected();
    await page.keyboard.press('Control+k');
    const input = page.getByRole('dialog').getByPlaceholder(/Jump to/);
    await input.pressSequentially('Star', { delay: 30 });
    const highlighted = page.locator('[data-command-item][data-selected]');
    await expect(highlighted.textContent()).resolves.toMatch(/^\s*Swarm: Star/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Star', exact: true }).waitFor();
    expect(await page.evaluate<string>('location.hash')).toBe(`#/swarms/${encodeURIComponent(swarmId)}`);
    await page.keyboard.press('Control+k');
    await input.pressSequentially('Start a tr', { delay: 30 });
    await expect(highlighted.textContent()).resolves.toMatch(/^\s*Start a training run/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Neural', exact: true }).waitFor();
  }, 60_000);

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`no serious or critical violation in ${colorScheme} mode`, async () => {
      const { page, waitConnected, go } = await ui.open({ colorScheme });
      await waitConnected();
      const found: string[] = [];
      for (const r of ROUTES) {
        const route = ids[r] ?? r;
        await go(route);
        await page.locator('main h1').first().waitFor();
        await page.waitForTimeout(300);
        for (const v of await seriousViolations(page)) found.push(`#/${route}: ${v}`);
      }
      expect(await page.evaluate<string>('getComputedStyle(document.documentElement).colorScheme')).toBe(colorScheme);
      expect(await pageBackground(page)).toBe(BACKGROUND[colorScheme]);

      // The connect screen (no token yet), with its field messages showing.
      const bare = await ui.browser.newContext({ colorScheme });
      try {
        const connect = await bare.newPage();
        await connect.goto(`${ui.server.url}/`);
        await connect.getByRole('button', { name: 'Connect', exact: true }).click();
        await connect.locator('#connect-token-error').waitFor();
        for (const v of await seriousViolations(connect)) found.push(`connect screen: ${v}`);
      } finally {
        await bare.close();
      }
      expect(found).toEqual([]);
    }, 120_000);
  }

  it('an explicit theme overrides the OS both ways, with the same palette', async () => {
    for (const [os, pick, label] of [
      ['light', 'dark', 'Dark'],
      ['dark', 'light', 'Light'],
    ] as const) {
      const { page, waitConnected } = await ui.open({ colorScheme: os, route: 'settings/appearance' });
      await waitConnected();
      expect(await pageBackground(page)).toBe(BACKGROUND[os]);
      await page.getByLabel(label, { exact: true }).check();
      await expect.poll(() => pageBackground(page)).toBe(BACKGROUND[pick]);
      expect(await page.evaluate<string>('getComputedStyle(document.documentElement).colorScheme')).toBe(pick);
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByLabel('Follow the system', { exact: true }).check();
      await expect.poll(() => pageBackground(page)).toBe(BACKGROUND[os]);
    }
  }, 60_000);
});
