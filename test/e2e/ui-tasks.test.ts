import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startUi, type UiHarness } from './ui-support';

/** Tasks & Workflows against the real engine: create with validation, live progress, cancel, workflow DAG, code analysis. */
describe('web UI: tasks and workflows', () => {
  let ui: UiHarness;
  beforeAll(async () => {
    ui = await startUi({ simSpeed: 5 });
    const client = await ui.server.client();
    await client.request('swarm:create', { name: 'Workers', topology: 'mesh', agents: 3 });
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('creates a task, shows its progress live, and cancels it after confirmation', async () => {
    const { page, waitConnected, problems } = await ui.open({ route: 'tasks' });
    await waitConnected();
    await page.getByRole('button', { name: 'Task', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Create task' }).click();
    await dialog.locator('#task-title-error').getByText('Required').waitFor();
    await dialog.getByLabel('Title').fill('Long UI task');
    await dialog.getByLabel('Priority').selectOption('high');
    await dialog.getByLabel('Estimated duration (s, optional)').fill('150');
    await dialog.getByRole('button', { name: 'Create task' }).click();

    const row = page.locator('#task-list tbody tr', { hasText: 'Long UI task' });
    await row.waitFor();
    const bar = row.getByRole('progressbar');
    const p1 = await eventually(
      async () => Number(await bar.getAttribute('aria-valuenow')),
      (v) => v > 0,
      30_000,
    );
    await eventually(
      async () => Number(await bar.getAttribute('aria-valuenow')),
      (v) => v > p1,
      60_000,
    );
    await expect(row.textContent()).resolves.toMatch(/\(\d+%\)/);

    await row.getByRole('button', { name: 'Cancel task Long UI task' }).click();
    const confirm = page.getByRole('alertdialog');
    await expect(confirm.textContent()).resolves.toMatch(/stops at \d+ %/);
    await confirm.getByRole('button', { name: 'Cancel task' }).click();
    await page.getByLabel('State', { exact: true }).selectOption('cancelled');
    await page.locator('#task-list tbody tr', { hasText: 'Long UI task' }).getByText('cancelled', { exact: true }).waitFor();
    expect(problems).toEqual([]);
  }, 120_000);

  it('refuses a workflow with a cycle next to the step, and draws a valid one with live step states', async () => {
    const { page, waitConnected } = await ui.open({ route: 'tasks?tab=workflows' });
    await waitConnected();
    await page.getByRole('button', { name: 'Workflow', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('UI flow');
    await dialog.locator('#wf-step-deps-0').fill('test');
    await dialog.getByRole('button', { name: 'Create workflow' }).click();
    await dialog
      .locator('#wf-step-deps-0-error')
      .getByText(/dependency cycle/)
      .waitFor();
    await dialog.locator('#wf-step-deps-0').fill('');
    for (let i = 0; i < 3; i++) await dialog.locator(`#wf-step-dur-${i}`).fill('1');
    await dialog.getByRole('button', { name: 'Create workflow' }).click();

    const wf = page.locator('#workflow-list li', { hasText: 'UI flow' });
    await wf.waitFor();
    const dag = wf.locator('svg[role=group]');
    await expect(dag.locator('g.node').count()).resolves.toBe(3);
    await eventually(
      () => dag.locator('g.node.completed').count(),
      (n) => n === 3,
      60_000,
    );
    await wf.getByText('completed', { exact: true }).first().waitFor();
  }, 90_000);

  it('analyzes pasted code: findings with line numbers, complexity per function, confidence', async () => {
    const { page, waitConnected } = await ui.open({ route: 'tasks?tab=analysis' });
    await waitConnected();
    await page.getByLabel('Source code').fill(['function risky(x) {', '  try {', '    return eval(x);', '  } catch (e) {}', '}', ''].join('\n'));
    await page.getByLabel('File name (steers language detection)').fill('risky.js');
    await page.locator('#analysis-input').getByRole('button', { name: 'Analyze' }).click();
    const result = page.locator('#analysis-result');
    await result.getByText('Complexity per function').waitFor({ timeout: 30_000 });
    const findings = await result.locator('table').first().locator('tbody tr').allTextContents();
    expect(findings.some((f) => /^3:\d+.*no-eval/.test(f))).toBe(true);
    expect(findings.some((f) => /^4:\d+.*empty-catch/.test(f))).toBe(true);
    await expect(result.locator('table').nth(1).textContent()).resolves.toMatch(/risky/);
    await expect(result.textContent()).resolves.toMatch(/Confidence\s*\d+\s%/);
  }, 60_000);
});
