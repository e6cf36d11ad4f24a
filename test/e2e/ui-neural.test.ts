import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartPoints, eventually, startUi, type UiHarness } from './ui-support';

/** The Neural view: start-training form validated like the server, live curves and progress, run history. */
describe('web UI: neural training', () => {
  let ui: UiHarness;
  beforeAll(async () => {
    ui = await startUi();
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('shows validation messages next to the fields and sends nothing invalid', async () => {
    const { page, waitConnected } = await ui.open({ route: 'neural' });
    await waitConnected();
    await page.getByLabel('Epochs').fill('0');
    await page.getByLabel('Validation split (%)').fill('80');
    await page.getByRole('button', { name: 'Start training' }).click();
    await page.locator('#train-epochs-error').getByText('Must be at least 1').waitFor();
    await expect(page.locator('#train-val-error').textContent()).resolves.toMatch(/at most/i);
    // Focus moves to the first field in error.
    await expect(page.evaluate('document.activeElement && document.activeElement.id')).resolves.toBe('train-epochs');
    await expect(page.locator('#neural-runs').getByText('No training runs yet.').count()).resolves.toBe(1);
  });

  it('trains on a built-in dataset with live loss and accuracy curves, then lists the run', async () => {
    const { page, waitConnected, problems } = await ui.open({ route: 'neural' });
    await waitConnected();
    await page.getByLabel('Network').fill('iris-ui-test');
    await page.getByLabel('Dataset', { exact: true }).selectOption('iris');
    await page.getByLabel('Epochs').fill('40');
    await page.getByLabel('Validation split (%)').fill('20');
    await page.getByRole('button', { name: 'Start training' }).click();
    await page.getByText('Training started').waitFor();
    await eventually(
      () => chartPoints(page, 'Loss per epoch'),
      (n) => n >= 10,
      30_000,
    );
    await eventually(
      () => chartPoints(page, 'Validation accuracy per epoch'),
      (n) => n >= 10,
      30_000,
    );
    const row = page.locator('#neural-runs tbody tr', { hasText: 'iris-ui-test' });
    await row.getByText('completed').waitFor({ timeout: 60_000 });
    await expect(row.textContent()).resolves.toMatch(/40\/40/);
    expect(problems).toEqual([]);
  }, 90_000);
});
