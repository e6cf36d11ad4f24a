import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUi, type UiHarness } from './ui-support';

/** The web UI over HTTPS with the LAN host's self-signed certificate (docs/protocol.md §11): fingerprint, pairing QR code, connect screen. */
describe('web UI over TLS: pairing screen', () => {
  let ui: UiHarness;
  let fingerprint: string;
  beforeAll(async () => {
    ui = await startUi({ autoTls: true });
    fingerprint = ui.server.server.tlsState().fingerprint!;
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('is served over HTTPS with HSTS and shows the certificate fingerprint in Settings', async () => {
    expect(ui.server.url).toMatch(/^https:/);
    const { page, waitConnected, problems } = await ui.open({ route: 'settings/lan' });
    const response = await page.request.get(`${ui.server.url}/`);
    expect(response.headers()['strict-transport-security']).toBe('max-age=31536000');
    await waitConnected();
    const cert = page.locator('#lan-certificate');
    await cert.getByText('Encrypted (HTTPS)').waitFor();
    await expect(cert.locator('[data-fingerprint]').getAttribute('data-fingerprint')).resolves.toBe(fingerprint);
    await expect(cert.locator('[data-fingerprint]').innerText()).resolves.toBe(fingerprint.replace(/((?:[0-9A-F]{2}:){7}[0-9A-F]{2}):/g, '$1\n').trim());
    await expect(page.getByRole('alert').filter({ hasText: 'Not encrypted' }).count()).resolves.toBe(0);
    expect(problems).toEqual([]);
  });

  it('draws a QR code of exactly the pairing link, next to the fingerprint to compare', async () => {
    const { page, waitConnected, problems } = await ui.open({ route: 'settings/lan' });
    await waitConnected();
    await page.getByLabel('Device name').fill('kitchen-tablet');
    await page.getByRole('button', { name: 'Create pairing link' }).click();
    const card = page.locator('#lan-pair .pairing-card');
    const qr = card.getByRole('img', { name: 'QR code of the pairing link' });
    await qr.waitFor();
    const link = (await card.locator('[data-pairing-link]').innerText()).trim();
    expect(link).toMatch(new RegExp(`^${ui.server.url.replace(/[.]/g, '\\.')}/\\?token=`));
    expect(await qr.getAttribute('data-qr-text')).toBe(link);
    // The same encoder in Node draws the same symbol: the image encodes the link, nothing else.
    const svg = await QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    expect(await qr.getAttribute('src')).toBe(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
    // The browser decoded the image (a broken data URL has no natural size).
    await expect(page.evaluate(`document.querySelector('#lan-pair .pairing-card img').naturalWidth`)).resolves.toBeGreaterThan(0);
    await expect(card.locator('[data-fingerprint]').getAttribute('data-fingerprint')).resolves.toBe(fingerprint);

    // The link really signs a device in.
    const device = await ui.open({ token: new URL(link).searchParams.get('token')! });
    await device.waitConnected();
    expect(problems).toEqual([]);
  });

  it('explains the certificate warning on the connect screen and shows the fingerprint a pairing link carries', async () => {
    const context = await ui.browser.newContext({ ignoreHTTPSErrors: true });
    try {
      const page = await context.newPage();
      const fp = fingerprint.replace(/:/g, '').toLowerCase();
      await page.goto(`${ui.server.url}/?pair=ABCD-EFGH&fp=${fp}`);
      const box = page.locator('#connect-certificate');
      await box.getByText('self-signed certificate').waitFor();
      await expect(box.locator('[data-fingerprint]').getAttribute('data-fingerprint')).resolves.toBe(fingerprint);
      await expect(page.locator('#connect-code').inputValue()).resolves.toBe('ABCD-EFGH');
    } finally {
      await context.close();
    }
  });
});
