import { describe, expect, it } from 'vitest';
import { certificatePrompt, decideCertificate, fingerprintFromElectron, type PinnedProfile } from '../../../electron/main/certificate-trust';

const fp = (byte: string) => Array.from({ length: 32 }, () => byte).join(':');
const LOCAL = fp('0A');
const PINNED = fp('1B');
const OTHER = fp('2C');
const profiles: PinnedProfile[] = [
  { id: 'lab', name: 'Lab box', url: 'https://192.168.1.20:3456', fingerprint: PINNED },
  { id: 'new', name: 'New box', url: 'https://zen.local:3456' },
  { id: 'plain', name: 'Plain', url: 'http://10.0.0.5:3456' },
];
const decide = (hostname: string, fingerprint: string, chromiumVerified = false) =>
  decideCertificate({ hostname, fingerprint, chromiumVerified }, { localFingerprint: LOCAL, profiles });

describe('certificate trust for the desktop window', () => {
  it("accepts the app's own LAN server by fingerprint, on any address", () => {
    expect(decide('127.0.0.1', LOCAL)).toEqual({ action: 'accept' });
    expect(decide('192.168.1.99', LOCAL)).toEqual({ action: 'accept' });
  });

  it('accepts a pinned profile only with its pinned certificate; a different one asks, loudly', () => {
    expect(decide('192.168.1.20', PINNED)).toEqual({ action: 'accept' });
    const changed = decide('192.168.1.20', OTHER);
    expect(changed).toMatchObject({ action: 'ask', kind: 'changed', fingerprint: OTHER, profile: { id: 'lab' } });
    // Even a publicly trusted certificate does not override a pin.
    expect(decide('192.168.1.20', OTHER, true)).toMatchObject({ action: 'ask', kind: 'changed' });
  });

  it('trusts on first use after asking, and needs no question for a publicly trusted certificate', () => {
    expect(decide('zen.local', OTHER)).toMatchObject({ action: 'ask', kind: 'first-use', profile: { id: 'new' }, hostname: 'zen.local' });
    expect(decide('ZEN.local', OTHER, true)).toEqual({ action: 'accept' });
  });

  it('refuses untrusted certificates of hosts that are no https profile, and leaves trusted ones to Chromium', () => {
    expect(decide('10.0.0.5', OTHER)).toMatchObject({ action: 'reject' });
    expect(decide('evil.example', OTHER)).toMatchObject({ action: 'reject', reason: expect.stringContaining('evil.example') });
    expect(decide('github.com', OTHER, true)).toEqual({ action: 'accept' });
  });

  it("reads Electron's sha256/base64 fingerprints as AB:CD:…", () => {
    const bytes = Buffer.alloc(32, 0xab);
    expect(fingerprintFromElectron(`sha256/${bytes.toString('base64')}`)).toBe(fp('AB'));
    expect(fingerprintFromElectron(PINNED)).toBe(PINNED);
    expect(fingerprintFromElectron('sha1/AAAA')).toBeNull();
    expect(fingerprintFromElectron(`sha256/${Buffer.alloc(20).toString('base64')}`)).toBeNull();
  });

  it('prompts with both fingerprints on a change, and makes refusing the default', () => {
    const verdict = decide('192.168.1.20', OTHER);
    if (verdict.action !== 'ask') throw new Error('expected a question');
    const prompt = certificatePrompt(verdict);
    expect(prompt.detail).toContain(`Trusted:   ${PINNED}`);
    expect(prompt.detail).toContain(`Presented: ${OTHER}`);
    expect(prompt.buttons[prompt.defaultId]).toBe('Do not connect');
    expect(prompt.cancelId).toBe(prompt.defaultId);
    const first = decide('zen.local', OTHER);
    if (first.action !== 'ask') throw new Error('expected a question');
    expect(certificatePrompt(first)).toMatchObject({ title: 'Trust this server?', buttons: ['Cancel', 'Trust and connect'], defaultId: 0 });
  });
});
