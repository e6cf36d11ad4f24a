import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startUi, type UiHarness } from './ui-support';

/** The Swarms view against the real simulation engine: create (validated), topology drawing, scale, analyze, delete. */
describe('web UI: swarms', () => {
  let ui: UiHarness;
  beforeAll(async () => {
    ui = await startUi({ simSpeed: 20 });
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('creates a swarm from the form, draws its topology, scales it, analyzes it and deletes it with confirmation', async () => {
    const { page, waitConnected, problems } = await ui.open({ route: 'swarms' });
    await waitConnected();
    await page.getByRole('button', { name: 'Create swarm' }).click();
    const dialog = page.getByRole('dialog');

    // The shared schema catches an empty name next to the field.
    await dialog.getByRole('button', { name: 'Create swarm' }).click();
    await dialog.locator('#swarm-name-error').getByText('Required').waitFor();

    await dialog.getByLabel('Name').fill('UI Team');
    await dialog.getByLabel('Topology').selectOption('hierarchical');
    await dialog.getByLabel('By role').check();
    await dialog.getByLabel('Role 1').fill('lead');
    await dialog.getByLabel('Count').first().fill('1');
    await dialog.getByLabel('Role 2').fill('developer');
    await dialog.getByLabel('Count').nth(1).fill('8');
    await dialog.getByRole('button', { name: 'Create swarm' }).click();

    // Lands on the swarm's page with the drawing: one circle per agent, coloured by status.
    await page.getByRole('heading', { name: 'UI Team', level: 1 }).waitFor();
    const drawing = page.locator('#swarm-topology svg[role=img]');
    await expect(drawing.getAttribute('aria-label')).resolves.toMatch(/^hierarchical topology with 9 agents/);
    await expect(drawing.locator('circle.agent').count()).resolves.toBe(9);
    await expect(drawing.locator('line').count()).resolves.toBe(8);

    // Scale the developers to 4: the drawing follows.
    await page.getByRole('button', { name: 'Scale' }).click();
    const scale = page.getByRole('dialog');
    await scale.getByLabel('Role', { exact: true }).selectOption('developer');
    await scale.getByLabel('Agents in this role').fill('4');
    await scale.getByRole('button', { name: 'Scale' }).click();
    await eventually(
      () => drawing.locator('circle.agent').count(),
      (n) => n === 5,
    );

    // Analyze reports the coordination efficiency.
    await page.locator('#swarm-analysis').getByRole('button', { name: 'Analyze' }).click();
    await page.locator('#swarm-analysis').getByText('coordination efficiency').waitFor();

    // Delete asks first and says what happens.
    await page.getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('alertdialog');
    await expect(confirm.textContent()).resolves.toMatch(/5 agents are removed/);
    await confirm.getByRole('button', { name: 'Delete swarm' }).click();
    await eventually(
      async () => page.url(),
      (u) => u.endsWith('#/swarms'),
    );
    await page.locator('#swarm-list').getByText('No swarms yet').waitFor();
    expect(problems).toEqual([]);
  }, 60_000);

  it('colours agents by status as tasks keep them busy', async () => {
    const client = await ui.server.client();
    const swarm = await client.request('swarm:create', { name: 'Ring', topology: 'ring', agents: 6 });
    for (let i = 0; i < 6; i++) await client.request('task:create', { title: `job ${i}`, estimatedDuration: 600_000, swarmId: swarm.id });
    const { page, waitConnected } = await ui.open({ route: `swarms/${swarm.id}` });
    await waitConnected();
    const drawing = page.locator('#swarm-topology svg[role=img]');
    await eventually(
      () => drawing.locator('circle.agent.busy').count(),
      (n) => n === 6,
      20_000,
    );
    await expect(drawing.getAttribute('aria-label')).resolves.toMatch(/^ring topology with 6 agents: 0 idle, 6 busy/);
  }, 40_000);
});
