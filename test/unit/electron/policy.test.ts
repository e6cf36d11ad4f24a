import { describe, expect, it } from 'vitest';
import {
  APP_ORIGIN,
  appOrigins,
  devRendererUrl,
  isExternalAllowed,
  isPermissionAllowed,
  isTrustedSender,
  navigationDecision,
  originOf,
  type SenderInfo,
} from '../../../electron/main/policy';

const origins = [APP_ORIGIN];
const devOrigins = appOrigins(new URL('http://localhost:5173/'));
const sender = (over: Partial<SenderInfo> = {}): SenderInfo => ({ frameUrl: 'app://zenflow/index.html', isMainFrame: true, fromAppWindow: true, ...over });

describe('originOf', () => {
  it('gives scheme://host for app: URLs, which WHATWG URL reports as "null"', () => {
    expect(new URL('app://zenflow/x').origin).toBe('null');
    expect(originOf('app://zenflow/index.html#/system')).toBe('app://zenflow');
    expect(originOf('http://localhost:5173/src/main.ts')).toBe('http://localhost:5173');
  });

  it('has no origin for opaque, host-less or credentialed URLs', () => {
    for (const url of ['file:///etc/passwd', 'about:blank', 'data:text/html,hi', 'javascript:alert(1)', 'app://user:pw@zenflow/', 'not a url']) {
      expect(originOf(url)).toBeNull();
    }
  });
});

describe('IPC sender validation', () => {
  it('accepts the main frame of our window on the app origin', () => {
    expect(isTrustedSender(sender(), origins)).toBe(true);
    expect(isTrustedSender(sender({ frameUrl: 'app://zenflow/' }), origins)).toBe(true);
  });

  it('accepts the dev server only when it is one of the app origins', () => {
    const dev = sender({ frameUrl: 'http://localhost:5173/' });
    expect(isTrustedSender(dev, devOrigins)).toBe(true);
    expect(isTrustedSender(dev, origins)).toBe(false);
  });

  it('refuses other origins, file:, sub-frames, devtools, other windows and gone frames', () => {
    const refused: SenderInfo[] = [
      sender({ frameUrl: 'https://evil.example/' }),
      sender({ frameUrl: 'http://127.0.0.1:3456/' }),
      sender({ frameUrl: 'app://other/index.html' }),
      sender({ frameUrl: 'app://zenflow.evil.example/' }),
      sender({ frameUrl: 'file:///work/main/out/renderer/index.html' }),
      sender({ frameUrl: 'about:blank' }),
      sender({ isMainFrame: false }),
      sender({ frameUrl: 'devtools://devtools/bundled/devtools_app.html', fromAppWindow: false }),
      sender({ frameUrl: 'devtools://devtools/bundled/devtools_app.html' }),
      sender({ fromAppWindow: false }),
      sender({ frameUrl: null }),
    ];
    for (const s of refused) expect(isTrustedSender(s, devOrigins), JSON.stringify(s)).toBe(false);
  });
});

describe('navigation policy', () => {
  it('allows our own origin', () => {
    expect(navigationDecision('app://zenflow/index.html#/neural', origins)).toBe('allow');
    expect(navigationDecision('http://localhost:5173/', devOrigins)).toBe('allow');
  });

  it('sends allowlisted documentation links to the browser', () => {
    expect(navigationDecision('https://socket.io/docs/v4/client-api/', origins)).toBe('open-external');
  });

  it('denies everything else', () => {
    for (const url of [
      'https://evil.example/',
      'http://localhost:5173/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'about:blank',
      'app://other/',
      'http://127.0.0.1:3456/',
    ]) {
      expect(navigationDecision(url, origins), url).toBe('deny');
    }
  });
});

describe('openExternal allowlist', () => {
  it('allows https links under the project and Socket.IO docs prefixes', () => {
    expect(isExternalAllowed('https://github.com/zenflow-control-center/zenflow-control-center#readme')).toBe(true);
    expect(isExternalAllowed('https://socket.io/docs/v4/')).toBe(true);
  });

  it('refuses other schemes, other hosts, look-alikes, other paths and http downgrades', () => {
    for (const url of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'data:text/html,hi',
      'vbscript:msgbox',
      'smb://host/share',
      'http://evil.example/docs',
      'https://evil.example/zenflow-control-center/',
      'https://github.com.evil.example/zenflow-control-center/',
      'https://github.com@evil.example/zenflow-control-center/',
      'https://user@github.com/zenflow-control-center/',
      'https://github.com/someone-else/repo',
      'https://github.com/zenflow-control-center',
      'http://github.com/zenflow-control-center/x',
      'https://socket.io/blog/',
      'https://github.com:8443/zenflow-control-center/',
      `https://github.com/zenflow-control-center/${'a'.repeat(3000)}`,
      'not a url',
    ]) {
      expect(isExternalAllowed(url), url).toBe(false);
    }
  });

  it('applies http rules only when a rule names an http origin', () => {
    const rules = [{ origin: 'http://docs.internal', pathPrefix: '/' }];
    expect(isExternalAllowed('http://docs.internal/guide', rules)).toBe(true);
    expect(isExternalAllowed('https://docs.internal/guide', rules)).toBe(false);
  });
});

describe('permissions', () => {
  it('grants notifications and clipboard writes to our origin only, nothing else to anyone', () => {
    expect(isPermissionAllowed('notifications', 'app://zenflow/index.html', origins)).toBe(true);
    expect(isPermissionAllowed('notifications', 'app://zenflow', origins)).toBe(true);
    expect(isPermissionAllowed('notifications', 'https://evil.example/', origins)).toBe(false);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'app://zenflow/index.html', origins)).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'https://evil.example/', origins)).toBe(false);
    for (const p of ['media', 'geolocation', 'clipboard-read', 'openExternal', 'usb', 'fileSystem']) {
      expect(isPermissionAllowed(p, 'app://zenflow/index.html', origins), p).toBe(false);
    }
  });
});

describe('dev renderer URL', () => {
  it('trusts a loopback http URL in an unpackaged app only', () => {
    expect(devRendererUrl('http://localhost:5173', false)?.origin).toBe('http://localhost:5173');
    expect(devRendererUrl('http://127.0.0.1:5173/', false)?.origin).toBe('http://127.0.0.1:5173');
    expect(devRendererUrl('http://localhost:5173', true)).toBeNull();
    expect(devRendererUrl(undefined, false)).toBeNull();
    expect(devRendererUrl('https://evil.example/', false)).toBeNull();
    expect(devRendererUrl('http://192.168.1.5:5173', false)).toBeNull();
    expect(devRendererUrl('file:///tmp/index.html', false)).toBeNull();
  });
});
