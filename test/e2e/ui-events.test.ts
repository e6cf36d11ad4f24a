import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startUi, type UiHarness } from './ui-support';

/** The Events view is backed by the server's event log: a reload keeps what was there. */
describe('web UI: events history', () => {
  let ui: UiHarness;
  beforeAll(async () => {
    ui = await startUi({ engines: false });
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('shows logged events after a reload, and searches names with wildcards and payload text', async () => {
    // Created before the page opens: only the server's log can show them.
    const client = await ui.server.client();
    for (let i = 1; i <= 3; i++) await client.request('task:create', { title: `kept-across-reload-${i}`, priority: 'low', assignee: 'auto' });

    const { page, waitConnected, problems } = await ui.open({ route: 'events' });
    await waitConnected();
    const search = page.getByLabel('Search');
    await search.fill('kept-across-reload');
    const rows = page.locator('#event-stream tbody tr.ev');
    const before = await eventually(
      () => rows.count(),
      (n) => n === 3,
    );
    // Event name and payload of each row (the time column is shown in local time).
    const texts = async () => (await rows.evaluateAll((trs) => trs.map((tr) => `${tr.children[2]?.textContent ?? ''} ${tr.children[4]?.textContent?.trim() ?? ''}`))).sort();
    const seenBefore = await texts();
    expect(seenBefore.every((t) => t.includes('task:created'))).toBe(true);

    await page.reload();
    await waitConnected();
    await page.getByLabel('Search').fill('kept-across-reload');
    await eventually(
      () => rows.count(),
      (n) => n === before,
    );
    expect(await texts()).toEqual(seenBefore);

    // Wildcards match names; a live event joins the history without repeating it.
    await page.getByLabel('Search').fill('task:*');
    await client.request('task:create', { title: 'live-after-reload', priority: 'low', assignee: 'auto' });
    await eventually(
      () => page.locator('#event-stream tbody tr.ev', { hasText: 'live-after-reload' }).count(),
      (n) => n === 1,
    );
    expect(await page.locator('#event-stream tbody tr.ev', { hasText: 'kept-across-reload-2' }).count()).toBe(1);
    await page.getByLabel('Search').fill('neural:training:*');
    await page.getByText('No event matches the filters.').waitFor();
    expect(problems).toEqual([]);
  }, 90_000);
});
