import { describe, expect, it } from 'vitest';
import { ZenFlowRequestError } from '../../../shared/sdk';
import { FieldsRefused, fromServer, validate } from '../../../renderer/src/lib/forms';
import { pairConnectSchema, tokenConnectSchema } from '../../../renderer/src/views/connect/connect-forms';
import { configureRateLimitSchema } from '../../../shared/protocol/commands';

describe('form errors from a refused send', () => {
  it("puts the server's invalid_argument details next to their fields, with a general pointer", () => {
    const err = new ZenFlowRequestError({ code: 'invalid_argument', message: 'bad', details: [{ path: 'ttl', message: 'too long' }] });
    expect(fromServer(err)).toEqual({ errors: { ttl: 'too long' }, message: 'The server refused some fields — see the messages next to them.' });
  });

  it('keeps any other failure as the general message', () => {
    expect(fromServer(new Error('not connected'))).toEqual({ errors: {}, message: 'not connected' });
  });

  it('shows a refusal that belongs to fields only next to those fields', () => {
    expect(fromServer(new FieldsRefused({ code: 'pairing code expired' }))).toEqual({ errors: { code: 'pairing code expired' }, message: null });
  });
});

describe('field messages from a schema', () => {
  it("says what a record's key should look like, on that key", () => {
    expect(validate(configureRateLimitSchema, { 'not an event': { maxPerSecond: 5 } })).toEqual({
      ok: false,
      errors: { 'not an event': 'an event name such as system:metrics' },
    });
  });
});

describe('connect screen schemas', () => {
  it('accepts a token connection to an http(s) or ws(s) address and trims the token', () => {
    expect(validate(tokenConnectSchema, { url: 'ws://127.0.0.1:3456', token: ' abc ' })).toEqual({ ok: true, data: { url: 'ws://127.0.0.1:3456', token: 'abc' } });
  });

  it('names the field and the reason for a bad address or a missing token', () => {
    expect(validate(tokenConnectSchema, { url: 'not an address', token: '  ' })).toEqual({
      ok: false,
      errors: { url: 'Enter a server address such as http://127.0.0.1:3456', token: 'A token is required' },
    });
    expect(validate(tokenConnectSchema, { url: 'ftp://host', token: 't' })).toEqual({ ok: false, errors: { url: 'Use an http://, https://, ws:// or wss:// address' } });
  });

  it('pairs with a code and a device name, the name defaulting as the server does', () => {
    expect(validate(pairConnectSchema, { url: 'https://192.168.1.5:3456', code: ' 123456 ' })).toEqual({
      ok: true,
      data: { url: 'https://192.168.1.5:3456', code: '123456', device: 'LAN device' },
    });
    const refused = validate(pairConnectSchema, { url: 'https://h', code: '', device: 'a\u0007b' });
    expect(refused.ok).toBe(false);
    expect(Object.keys(refused.ok ? {} : refused.errors).sort()).toEqual(['code', 'device']);
  });
});
