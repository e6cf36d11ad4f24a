import { extname, isAbsolute, join, relative, resolve } from 'node:path';

/**
 * Maps `app://zenflow/<path>` onto a file under the built renderer directory. Anything
 * that could leave that directory — dot segments in any encoding, encoded separators,
 * double encoding, empty segments, drive letters, NUL — is refused before touching the file system.
 */

export const APP_SCHEME = 'app';
export const APP_HOST = 'zenflow';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export type AppPathResult = { ok: true; path: string; mime: string } | { ok: false; status: 400 | 403 | 404; reason: string };

const refuse = (status: 400 | 403 | 404, reason: string): AppPathResult => ({ ok: false, status, reason });

export function resolveAppPath(rootDir: string, requestUrl: string): AppPathResult {
  // Parsed by hand: WHATWG URL would silently fold `..` segments before we could see them.
  const match = /^app:\/\/zenflow(\/[^?#]*)?(?:[?#][\s\S]*)?$/.exec(requestUrl);
  if (!match) return refuse(403, 'not an app://zenflow/ URL');
  const rawPath = match[1] ?? '/';
  if (
    rawPath !== '/' &&
    rawPath
      .slice(1)
      .split('/')
      .some((s, i, all) => s === '' && i < all.length - 1)
  ) {
    return refuse(400, 'empty path segment');
  }
  const segments: string[] = [];
  for (const raw of rawPath.split('/').filter(Boolean)) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return refuse(400, 'malformed percent-encoding');
    }
    // `%` left after one decoding is double encoding: no file we ship has one in its name.
    if (segment === '.' || segment === '..' || /[/\\:%\0]/.test(segment)) return refuse(400, 'path segment not allowed');
    segments.push(segment);
  }
  // The renderer routes by hash; a path without an extension is the app shell.
  const last = segments.at(-1);
  const target = last === undefined || !extname(last) ? ['index.html'] : segments;
  const root = resolve(rootDir);
  const path = join(root, ...target);
  const rel = relative(root, path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return refuse(403, 'outside the renderer directory');
  const mime = MIME[extname(path).toLowerCase()];
  if (!mime) return refuse(404, 'unknown file type');
  return { ok: true, path, mime };
}
