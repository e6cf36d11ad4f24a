import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAppPath } from '../../../electron/main/app-protocol-path';

const root = resolve('/opt/zenflow/out/renderer');

describe('app:// path resolution', () => {
  it('maps files under the renderer directory with their MIME type', () => {
    expect(resolveAppPath(root, 'app://zenflow/index.html')).toEqual({ ok: true, path: join(root, 'index.html'), mime: 'text/html; charset=utf-8' });
    expect(resolveAppPath(root, 'app://zenflow/assets/index-6wA5.js?v=1')).toEqual({
      ok: true,
      path: join(root, 'assets', 'index-6wA5.js'),
      mime: 'text/javascript; charset=utf-8',
    });
    expect(resolveAppPath(root, 'app://zenflow/assets/my%20font.woff2')).toMatchObject({ ok: true, path: join(root, 'assets', 'my font.woff2') });
  });

  it('serves the app shell for the root and extensionless paths', () => {
    for (const url of ['app://zenflow', 'app://zenflow/', 'app://zenflow/#/system', 'app://zenflow/settings', 'app://zenflow/settings/']) {
      expect(resolveAppPath(root, url), url).toMatchObject({ ok: true, path: join(root, 'index.html') });
    }
  });

  it('refuses traversal in every spelling', () => {
    for (const url of [
      'app://zenflow/../../etc/passwd',
      'app://zenflow/assets/../../../etc/passwd',
      'app://zenflow/%2e%2e/%2e%2e/etc/passwd',
      'app://zenflow/%2E%2E/etc/passwd',
      'app://zenflow/.%2e/etc/passwd',
      'app://zenflow/..%2f..%2fetc%2fpasswd',
      'app://zenflow/..%5c..%5cwindows%5cwin.ini',
      'app://zenflow/..\\..\\etc\\passwd',
      'app://zenflow/./index.html',
      'app://zenflow/%252e%252e/etc/passwd',
    ]) {
      expect(resolveAppPath(root, url), url).toMatchObject({ ok: false });
    }
  });

  it('refuses absolute paths, drive letters, NUL and bad encodings', () => {
    for (const url of [
      'app://zenflow//etc/passwd',
      'app://zenflow/%2fetc%2fpasswd',
      'app://zenflow/C:/Windows/win.ini',
      'app://zenflow/C%3A%5CWindows%5Cwin.ini',
      'app://zenflow/index.html%00.png',
      'app://zenflow/%E0%A4%A',
      'app://zenflow/a//b.js',
    ]) {
      expect(resolveAppPath(root, url), url).toMatchObject({ ok: false, status: 400 });
    }
  });

  it('refuses other schemes and hosts', () => {
    for (const url of ['file:///etc/passwd', 'app://other/index.html', 'app://zenflow.evil/index.html', 'app://zenflow:8080/index.html', 'https://zenflow/index.html']) {
      expect(resolveAppPath(root, url), url).toMatchObject({ ok: false, status: 403 });
    }
  });

  it('refuses unknown file types', () => {
    expect(resolveAppPath(root, 'app://zenflow/secrets.db')).toMatchObject({ ok: false, status: 404 });
  });
});
