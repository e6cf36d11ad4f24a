import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PairingCodes } from '../../../electron/main/pairing';
import { redeemPairingLink } from '../../../electron/main/remote-pairing';
import { createZenFlowServer, type ZenFlowServer } from '../../../electron/server/app';
import { FileSecretStore } from '../../../electron/store/secret-store';
import { pairingLink } from '../../../shared/pairing-link';

/** A LAN host (auto-TLS forced on loopback) with a pairing code, and the desktop pairing with it from its link. */
describe('pairing from a link pins the host', () => {
  let dir: string;
  let server: ZenFlowServer;
  let url: string;
  const codes = new PairingCodes();
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zenflow-remote-pair-'));
    server = await createZenFlowServer(
      { port: 0, autoTls: true, logLevel: 'silent', engines: false, dataDir: dir },
      { secretStore: new FileSecretStore(join(dir, 'secrets.json')), pairing: { redeem: (code) => codes.redeem(code) } },
    );
    url = await server.listen();
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends the code only to the certificate the link names, then gets a device token', async () => {
    const { code } = codes.issue();
    const fingerprint = server.tlsState().fingerprint!;
    const impostor = pairingLink({ url, code, fingerprint: fingerprint.replace(/^../, fingerprint.startsWith('00') ? '11' : '00') });
    await expect(redeemPairingLink(impostor, 'desk')).rejects.toThrow(/does not match the pinned fingerprint/);
    // The code never left this process: it is still live, and the genuine link redeems it.
    expect(codes.current()?.code).toBe(code);

    const paired = await redeemPairingLink(pairingLink({ url, code, fingerprint }), 'desk');
    expect(paired).toMatchObject({ url, fingerprint });
    await expect(server.tokens.verify(paired.token)).resolves.toMatchObject({ ok: true });
    expect(codes.current()).toBeNull();
    await expect(redeemPairingLink(pairingLink({ url, code, fingerprint }), 'desk')).rejects.toThrow(/pairing refused by .*invalid, used or expired/);
  });

  it('refuses links without a fingerprint or over plain http', async () => {
    await expect(redeemPairingLink(`${url}/?pair=ABCD-EFGH`, 'desk')).rejects.toThrow(/not a pairing link/);
    await expect(redeemPairingLink(`http://127.0.0.1:1/?pair=ABCD-EFGH&fp=${server.tlsState().fingerprint}`, 'desk')).rejects.toThrow(/not a pairing link/);
  });
});
