import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUi, type UiHarness } from './ui-support';
import { nextEvent } from '../helpers/server';

/** A read-only viewer (`read:system read:swarms`): every view says what it cannot read, every action names its missing scope. */
describe('web UI: a read-only viewer', () => {
  let ui: UiHarness;
  let viewer: string;
  beforeAll(async () => {
    ui = await startUi({ simSpeed: 5 });
    viewer = await ui.server.token(['read:system', 'read:swarms'], 3600, 'viewer');
    const admin = await ui.server.client();
    await admin.request('swarm:create', { name: 'Star', topology: 'star', agents: 2 });
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('Overview tiles it cannot read say which scope they need instead of showing zeros', async () => {
    const { page, waitConnected, problems } = await ui.open({ token: viewer });
    await waitConnected();
    const tasksTile = page.locator('section.tile', { has: page.getByRole('heading', { name: 'Tasks' }) });
    await tasksTile.getByText('needs read:tasks').waitFor();
    await expect(tasksTile.textContent()).resolves.not.toMatch(/failed · 1 h/);
    await page
      .locator('section.tile', { has: page.getByRole('heading', { name: 'Trainings in progress' }) })
      .getByText('needs read:neural')
      .waitFor();
    await page
      .locator('section.tile', { has: page.getByRole('heading', { name: 'API' }) })
      .getByText('needs read:api')
      .waitFor();
    // Positive control: what the viewer may read shows data.
    const swarmsTile = page.locator('section.tile', { has: page.getByRole('heading', { name: 'Swarms' }) });
    await expect(swarmsTile.getByText(/needs/).count()).resolves.toBe(0);
    expect(problems).toEqual([]);
  }, 60_000);

  it('a view it cannot read offers a one-click permission request that reaches an administrator', async () => {
    const admin = await ui.server.client();
    await admin.subscribe({ channels: ['system'] });
    const { page, waitConnected } = await ui.open({ token: viewer, route: 'tasks' });
    await waitConnected();
    await page.getByRole('heading', { name: 'Tasks & Workflows' }).waitFor();
    await page.getByText('The Tasks & Workflows view needs read:tasks').waitFor();
    await expect(page.locator('#task-list').count()).resolves.toBe(0);
    const requested = nextEvent<{ permissions: string[]; userId: string }>(admin, 'auth:permissions:requested', 10_000);
    await page.getByRole('button', { name: 'Request read:tasks' }).click();
    const req = await requested;
    expect(req).toMatchObject({ permissions: ['read:tasks'], userId: 'viewer' });
    await page.getByText('requested — waiting for an administrator').waitFor();
  }, 60_000);

  it('actions it cannot take stay visible but disabled, naming the missing scope; the palette too', async () => {
    const { page, waitConnected } = await ui.open({ token: viewer, route: 'swarms' });
    await waitConnected();
    const create = page.getByRole('button', { name: 'Create swarm' });
    await create.waitFor();
    await expect(create.getAttribute('aria-disabled')).resolves.toBe('true');
    await page.locator('.view-header').getByText('needs write:swarms').waitFor();
    await create.click({ force: true });
    await expect(page.getByRole('dialog').count()).resolves.toBe(0);

    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog');
    await palette.getByPlaceholder(/Jump to/).fill('Create a task');
    const item = palette.locator('[data-command-item]', { hasText: 'Create a task…' });
    await expect(item.getAttribute('data-disabled')).resolves.not.toBeNull();
    await expect(item.textContent()).resolves.toMatch(/needs write:tasks/);
    await page.keyboard.press('Enter');
    await expect(page.evaluate<string>('location.hash')).resolves.not.toMatch(/create=task/);

    // Enter opens the highlighted match: "Star" is the swarm, not "Start a training run…".
    await palette.getByPlaceholder(/Jump to/).fill('Star');
    await palette.locator('[data-command-item][data-selected]', { hasText: 'Swarm: Star' }).waitFor();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Star', exact: true }).waitFor();
    await expect(page.evaluate<string>('location.hash')).resolves.toMatch(/^#\/swarms\/swarm/);
  }, 60_000);
});
