import { describe, expect, it } from 'vitest';
import { profileInputSchema } from '../../shared/bridge';
import { pairingLink, parsePairingLink } from '../../shared/pairing-link';
import { normalizeFingerprint, pinErrorIn, TlsPinError } from '../../shared/sdk/tls-pin';
import { serverOptionsSchema } from '../../electron/server/options';
import { tlsBanner } from '../../electron/server/tls/banner';
import { resolveTls } from '../../electron/server/tls/tls-setup';
import { LAN_CERTIFICATE_ACCOUNT } from '../../electron/server/tls/self-signed';
import { FakeSecretStore } from './electron/fakes';

const FP = Array.from({ length: 32 }, (_, i) => i.toString(16).padStart(2, '0').toUpperCase()).join(':');
const options = (input: object = {}) => serverOptionsSchema.parse({ dataDir: '/nonexistent', ...input });

describe('fingerprints', () => {
  it('normalizes any spelling to AB:CD:… and refuses anything else', () => {
    expect(normalizeFingerprint(FP.toLowerCase())).toBe(FP);
    expect(normalizeFingerprint(FP.replace(/:/g, ''))).toBe(FP);
    expect(normalizeFingerprint(` ${FP.replace(/:/g, ' ')} `)).toBe(FP);
    for (const bad of ['', 'AB:CD', `${FP}:00`, FP.replace('00', 'GG')]) expect(() => normalizeFingerprint(bad), bad).toThrow(/fingerprint/);
    expect(profileInputSchema.parse({ name: 'x', url: 'https://h:1', fingerprint: FP.toLowerCase() }).fingerprint).toBe(FP);
    expect(profileInputSchema.safeParse({ name: 'x', url: 'https://h:1', fingerprint: 'AB:CD' }).success).toBe(false);
  });

  it('finds a pin error however deep the transport wrapped it', () => {
    const pin = new TlsPinError(FP, null, 'h:1');
    expect(pinErrorIn({ message: 'websocket error', description: { error: pin } })).toBe(pin);
    expect(pinErrorIn(new Error('xhr poll error'))).toBeNull();
    expect(pin.message).toMatch(/expected .* got no certificate/);
  });
});

describe('which certificate the port uses', () => {
  it('is clear text on loopback, self-signed when exposed, and clear text when exposed only with insecureHttp', async () => {
    const store = new FakeSecretStore();
    await expect(resolveTls(options(), store, false)).resolves.toBeNull();
    expect(store.values.size).toBe(0);
    await expect(resolveTls(options({ insecureHttp: true }), store, true)).resolves.toBeNull();
    expect(store.values.size).toBe(0);
    const auto = await resolveTls(options(), store, true);
    expect(auto).toMatchObject({ source: 'self-signed', created: true });
    expect(store.values.has(LAN_CERTIFICATE_ACCOUNT)).toBe(true);
    const again = await resolveTls(options({ autoTls: true }), store, false);
    expect(again).toMatchObject({ source: 'self-signed', created: false, credentials: { fingerprint: auto!.credentials.fingerprint } });
  });

  it('replaces a stored certificate that no longer pairs with its key', async () => {
    const store = new FakeSecretStore();
    const first = await resolveTls(options({ autoTls: true }), store, false);
    const other = await resolveTls(options({ autoTls: true }), new FakeSecretStore(), false);
    await store.set(LAN_CERTIFICATE_ACCOUNT, JSON.stringify({ cert: first!.credentials.cert, key: other!.credentials.key }));
    const fresh = await resolveTls(options({ autoTls: true }), store, false);
    expect(fresh).toMatchObject({ created: true });
    expect(fresh!.credentials.fingerprint).not.toBe(first!.credentials.fingerprint);
  });

  it('refuses half a pair of files and contradictory flags', async () => {
    const store = new FakeSecretStore();
    await expect(resolveTls(options({ tlsCertFile: '/x.pem' }), store, false)).rejects.toThrow(/both a certificate and a key/);
    await expect(resolveTls(options({ tlsCertFile: '/x.pem', tlsKeyFile: '/y.pem', insecureHttp: true }), store, true)).rejects.toThrow(/contradicts/);
    await expect(resolveTls(options({ tlsCertFile: '/nope/x.pem', tlsKeyFile: '/nope/y.pem' }), store, false)).rejects.toThrow(
      /cannot read the TLS certificate \/nope\/x.pem: ENOENT/,
    );
  });

  it('prints the fingerprint line, or a loud warning for a clear-text LAN', () => {
    expect(tlsBanner({ enabled: true, source: 'self-signed', fingerprint: FP, insecureLan: false })).toBe(`TLS certificate SHA-256 fingerprint: ${FP}\n`);
    expect(tlsBanner({ enabled: false, source: null, fingerprint: null, insecureLan: true })).toMatch(/INSECURE.*CLEAR TEXT/);
    expect(tlsBanner({ enabled: false, source: null, fingerprint: null, insecureLan: false })).toBe('');
  });
});

describe('pairing links', () => {
  it('carry address, code and fingerprint, and read back the same', () => {
    const link = pairingLink({ url: 'https://192.168.1.4:3456/', code: 'ABCD-EFGH', fingerprint: FP.toLowerCase() });
    expect(link).toBe(`https://192.168.1.4:3456/?pair=ABCD-EFGH&fp=${FP}`);
    expect(parsePairingLink(link)).toEqual({ url: 'https://192.168.1.4:3456', code: 'ABCD-EFGH', fingerprint: FP });
    expect(parsePairingLink('https://h:1/?pair=X&fp=nonsense')).toEqual({ url: 'https://h:1', code: 'X' });
    expect(parsePairingLink('javascript:alert(1)')).toBeNull();
    expect(parsePairingLink('not a link')).toBeNull();
  });
});
