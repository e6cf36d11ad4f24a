import { describe, expect, it } from 'vitest';
import { checkRequest, hostnameOf, type OriginPolicy } from '../../../electron/server/security/origin';

const policy: OriginPolicy = { allowedHosts: ['zen.example'], allowedOrigins: ['app://zenflow'] };

describe('origin policy (DNS rebinding and cross-site WebSocket guards)', () => {
  it('accepts IP literals, localhost and configured names as Host; refuses any other name', () => {
    expect(checkRequest({ host: '127.0.0.1:3456' }, policy)).toEqual({ ok: true });
    expect(checkRequest({ host: '[::1]:3456' }, policy)).toEqual({ ok: true });
    expect(checkRequest({ host: 'localhost:3456' }, policy)).toEqual({ ok: true });
    expect(checkRequest({ host: 'ZEN.example' }, policy)).toEqual({ ok: true });
    expect(checkRequest({ host: 'attacker.example:3456' }, policy)).toEqual({ ok: false, reason: 'host attacker.example:3456 is not allowed' });
    expect(checkRequest({}, policy)).toEqual({ ok: false, reason: 'host (none) is not allowed' });
    expect(hostnameOf('[fe80::1]:80')).toBe('fe80::1');
  });

  it('accepts no Origin (non-browser clients), the server itself and allowed origins; refuses other sites', () => {
    expect(checkRequest({ host: '127.0.0.1:3456' }, policy)).toEqual({ ok: true });
    expect(checkRequest({ host: '127.0.0.1:3456', origin: 'http://127.0.0.1:3456' }, policy)).toEqual({ ok: true });
    expect(checkRequest({ host: '127.0.0.1:3456', origin: 'app://zenflow' }, policy)).toEqual({ ok: true });
    expect(checkRequest({ host: '127.0.0.1:3456', origin: 'http://evil.example' }, policy)).toMatchObject({ ok: false, reason: 'origin http://evil.example is not allowed' });
    expect(checkRequest({ host: '127.0.0.1:3456', origin: 'file://x' }, policy)).toMatchObject({ ok: false });
    expect(checkRequest({ host: '127.0.0.1:3456', origin: 'null' }, policy)).toMatchObject({ ok: false });
  });

  it('holds a page to the scheme the server speaks', () => {
    expect(checkRequest({ host: 'zen.example', origin: 'https://zen.example' }, policy, 'https')).toEqual({ ok: true });
    expect(checkRequest({ host: 'zen.example', origin: 'http://zen.example' }, policy, 'https')).toMatchObject({ ok: false });
  });
});
