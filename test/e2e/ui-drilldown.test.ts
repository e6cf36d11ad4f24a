import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startUi, type UiHarness } from './ui-support';
import { collect, nextEvent } from '../helpers/server';
import type { ZenFlowClient } from '../../shared/sdk';
import { LIVE_TRAINING, measureMainThread } from './main-thread';

/** Drill-down pages: every list row and DAG node opens its page; tables sort by their columns. */
describe('web UI: drill-down pages', () => {
  let ui: UiHarness;
  let admin: ZenFlowClient;
  let swarmId = '';
  beforeAll(async () => {
    ui = await startUi({ simSpeed: 20 });
    admin = await ui.server.client();
    const swarm = (await admin.request('swarm:create', { name: 'Drill', topology: 'mesh', agents: 3 })) as { id: string };
    swarmId = swarm.id;
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('main-thread budget during live training: live text and bars update at ~4 Hz, not per epoch', async () => {
    // Before throttling: ~55 layouts/s and 37–64 % busy here. The bench (npm run bench:ui) reports against the 10 % target;
    // this check allows for the shared test machine but fails on a per-epoch re-layout.
    const neuralPage = await ui.open({ route: 'neural' });
    const overviewPage = await ui.open({ route: 'overview' });
    await neuralPage.waitConnected();
    await overviewPage.waitConnected();
    await admin.subscribe({ channels: ['neural'] });
    for (const [name, p] of [
      ['neural', neuralPage.page],
      ['overview', overviewPage.page],
    ] as const) {
      // A run per page: 1,000 epochs last ~12 s here, less on a faster machine.
      const progress = nextEvent(admin, 'neural:training:progress', 30_000);
      const { runId } = (await admin.request('neural:training:start', { ...LIVE_TRAINING, networkId: `budget-${name}` })) as { runId: string };
      await progress;
      await p.waitForTimeout(1000);
      const live = collect(admin, 'neural:training:progress');
      const s = await measureMainThread(p, 4000);
      live.stop();
      console.log(`${name}: main thread ${(s.busy * 100).toFixed(1)} % busy, ${s.layoutsPerSecond.toFixed(1)} layouts/s during live training`);
      expect(s.layoutsPerSecond).toBeLessThanOrEqual(8);
      expect(s.busy).toBeLessThanOrEqual(0.3);
      // Positive control: the run was live while the page was measured (progress kept coming, dozens a second).
      expect(live.items.length).toBeGreaterThan(40);
      // On a fast machine the run may have finished by now; the control above is what counts.
      await admin.request('neural:training:stop', { runId }).catch(() => undefined);
    }
  }, 90_000);

  it('a task row opens the task page: assignee, attempts, result, a timeline, and no stale stage once completed', async () => {
    const { page, waitConnected, problems } = await ui.open({ route: 'tasks?state=all' });
    await waitConnected();
    await admin.subscribe({ channels: ['tasks'] });
    const done = nextEvent<{ id: string }>(admin, 'task:completed', 30_000);
    const task = (await admin.request('task:create', { title: 'Drill task', priority: 'high', estimatedDuration: 60_000 })) as { id: string };
    await page.locator('#task-list').getByRole('link', { name: 'Drill task' }).click();
    expect(await page.evaluate<string>('location.hash')).toBe(`#/tasks/task/${task.id}`);
    await page.getByRole('heading', { name: 'Drill task' }).waitFor();
    expect((await done).id).toBe(task.id);
    await page.locator('.view-header .state-pill', { hasText: 'completed' }).waitFor();
    const timeline = page.locator('#task-timeline');
    for (const text of [/^created/, /^started on/, /^completed$/]) await timeline.locator('li span').filter({ hasText: text }).first().waitFor();
    await expect(page.locator('#task-details').textContent()).resolves.toMatch(/Attempts\s*1/);
    const assignee = page.locator('#task-details').getByRole('link', { name: /agent/ });
    await expect(page.locator('#task-outcome').textContent()).resolves.toMatch(/Completed/);
    await expect(page.locator('#task-outcome').textContent()).resolves.not.toMatch(/\(\d+\s?%\)/);

    // The list shows no stale stage for it either.
    await page.goto(`${ui.server.url}/#/tasks?state=completed`);
    const row = page.locator('#task-list tbody tr', { hasText: 'Drill task' });
    await row.waitFor();
    await expect(row.textContent()).resolves.not.toMatch(/\(\d+\s?%\)/);
    await expect(row.textContent()).resolves.toMatch(/done in/);

    // The assignee link opens the agent page with the task among those it ran.
    await page.goBack();
    await assignee.click();
    await page.locator('#agent-tasks').getByRole('link', { name: 'Drill task' }).waitFor();
    expect(await page.evaluate<string>('location.hash')).toMatch(new RegExp(`^#/swarms/${swarmId}/agent/`));
    expect(problems).toEqual([]);
  }, 90_000);

  it('a workflow opens its page; a DAG node opens its step task; the step table sorts by its columns', async () => {
    const { page, waitConnected } = await ui.open({ route: 'tasks?tab=workflows' });
    await waitConnected();
    const wf = (await admin.request('workflow:create', {
      name: 'Drill flow',
      steps: [
        { id: 'build', title: 'Build', estimatedDuration: 1000 },
        { id: 'test', title: 'Test', dependsOn: ['build'], estimatedDuration: 1000 },
        { id: 'ship', title: 'Ship', dependsOn: ['build', 'test'], estimatedDuration: 1000 },
      ],
    })) as { id: string };
    await page.locator('#workflow-list').getByRole('link', { name: 'Drill flow' }).click();
    expect(await page.evaluate<string>('location.hash')).toBe(`#/tasks/workflow/${wf.id}`);
    const dag = page.locator('#workflow-dag svg');
    await eventually(
      () => dag.locator('g.node.completed').count(),
      (n) => n === 3,
      60_000,
    );
    const steps = page.locator('#workflow-steps tbody tr td:first-child');
    await page.locator('#workflow-steps').getByRole('button', { name: 'Step' }).click();
    await expect(steps.allTextContents()).resolves.toEqual(['Build', 'Ship', 'Test']);
    await expect(page.locator('#workflow-steps th').first().getAttribute('aria-sort')).resolves.toBe('ascending');
    await page.locator('#workflow-steps').getByRole('button', { name: 'Step' }).click();
    await expect(steps.allTextContents()).resolves.toEqual(['Test', 'Ship', 'Build']);

    await dag.getByRole('link', { name: /Test/ }).click();
    await page.getByRole('heading', { name: 'Test' }).waitFor();
    expect(await page.evaluate<string>('location.hash')).toMatch(/^#\/tasks\/task\//);
    await page.locator('#task-details').getByRole('link', { name: 'Drill flow' }).waitFor();
  }, 90_000);

  it('a training run row opens the run page with its configuration and curves', async () => {
    const { page, waitConnected } = await ui.open({ route: 'neural' });
    await waitConnected();
    await admin.subscribe({ channels: ['neural'] });
    const completed = nextEvent(admin, 'neural:training:completed', 60_000);
    const ack = (await admin.request('neural:training:start', {
      networkId: 'drill-net',
      dataset: 'iris',
      config: { epochs: 5, learningRate: 0.05, batchSize: 16, validation: 0.2 },
    })) as { runId: string };
    await completed;
    await page.locator('#neural-runs').getByRole('link', { name: 'drill-net' }).click();
    expect(await page.evaluate<string>('location.hash')).toBe(`#/neural/run/${ack.runId}`);
    await page.locator('.view-header .state-pill', { hasText: 'completed' }).waitFor();
    await expect(page.locator('#run-config').textContent()).resolves.toMatch(/epochs\s*5/);
    await expect(page.locator('#run-details').textContent()).resolves.toMatch(/Epochs\s*5 \/ 5/);
  }, 90_000);

  it('training follows the chosen dataset; retraining a model of another dataset needs a confirmation', async () => {
    const { page, waitConnected } = await ui.open({ route: 'neural' });
    await waitConnected();
    await page.locator('#neural-runs').getByRole('link', { name: 'drill-net' }).first().waitFor({ timeout: 60_000 });
    const network = page.locator('#neural-train').getByLabel('Network');
    await page.getByLabel('Dataset', { exact: true }).selectOption('two-spirals');
    await expect(network.inputValue()).resolves.toBe('two-spirals-classifier');
    // drill-net holds an iris model: training it on two-spirals would replace it.
    await network.fill('drill-net');
    await page.getByRole('button', { name: 'Start training' }).click();
    const confirm = page.getByRole('alertdialog');
    await expect(confirm.textContent()).resolves.toMatch(/drill-net is a trained model of the iris dataset.*replaces that model/);
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByText('Training started').count()).resolves.toBe(0);
    const body = (await (await fetch(`${ui.server.url}/api/neural/networks`, { headers: { authorization: `Bearer ${await ui.server.token()}` } })).json()) as {
      runs: { networkId: string }[];
    };
    expect(body.runs.filter((r) => r.networkId === 'drill-net')).toHaveLength(1);
    // Positive control: confirming starts the run.
    await page.getByRole('button', { name: 'Start training' }).click();
    await confirm.getByRole('button', { name: 'Replace the model' }).click();
    await page.getByText('Training started').waitFor();
    await page.getByText('Training completed: drill-net').waitFor({ timeout: 60_000 });
  }, 90_000);

  it('the swarm table sorts by a column, both ways', async () => {
    await admin.request('swarm:create', { name: 'Alpha', topology: 'ring', agents: 5 });
    const { page, waitConnected } = await ui.open({ route: 'swarms' });
    await waitConnected();
    const names = page.locator('#swarm-list tbody tr td:first-child a');
    await eventually(
      () => names.count(),
      (n) => n === 2,
    );
    const header = page.locator('#swarm-list').getByRole('button', { name: 'Agents' });
    await header.click();
    await expect(names.allTextContents()).resolves.toEqual(['Drill', 'Alpha']);
    await header.click();
    await expect(names.allTextContents()).resolves.toEqual(['Alpha', 'Drill']);
  }, 60_000);

  it('filters, tabs, time windows and selections survive a reload', async () => {
    const { page, waitConnected, go } = await ui.open({ route: 'tasks' });
    await waitConnected();
    await page.getByLabel('State', { exact: true }).selectOption('completed');
    await page.getByLabel('Priority', { exact: true }).selectOption('high');
    await page.getByLabel('Search', { exact: true }).fill('Drill');
    await go('system');
    await page.getByRole('radio', { name: '1 h' }).click();
    await page.getByLabel('Minimum severity').selectOption('warning');
    await go('neural');
    await page
      .getByRole('checkbox', { name: /Compare run .* of drill-net/ })
      .first()
      .check();
    await go('timeline');
    await page.getByRole('radio', { name: '6h' }).click();
    await go('swarms');
    await page.getByLabel('Filter swarms').fill('Alp');

    // Back through each view after a reload: each shows what was chosen.
    await page.reload();
    await waitConnected();
    await expect(page.getByLabel('Filter swarms').inputValue()).resolves.toBe('Alp');
    await eventually(
      () => page.locator('#swarm-list tbody tr').count(),
      (n) => n === 1,
    );
    await page.goBack();
    await waitConnected().catch(() => undefined);
    await page.getByRole('radio', { name: '6h' }).and(page.locator('[data-state=on]')).waitFor();
    await page.goBack();
    await expect(
      page
        .getByRole('checkbox', { name: /Compare run .* of drill-net/ })
        .first()
        .isChecked(),
    ).resolves.toBe(true);
    await page.goBack();
    await page.getByRole('radio', { name: '1 h' }).and(page.locator('[data-state=on]')).waitFor();
    await expect(page.getByLabel('Minimum severity').inputValue()).resolves.toBe('warning');
    await page.goBack();
    await expect(page.getByLabel('State', { exact: true }).inputValue()).resolves.toBe('completed');
    await expect(page.getByLabel('Priority', { exact: true }).inputValue()).resolves.toBe('high');
    await expect(page.getByLabel('Search', { exact: true }).inputValue()).resolves.toBe('Drill');
    await page.locator('#task-list tbody tr', { hasText: 'Drill task' }).waitFor();
  }, 90_000);
});
