'use strict';

const ALLOWED_TAGS = new Set(['b', 'i', 'em', 'strong', 'a', 'p', 'ul', 'ol', 'li', 'br', 'code', 'pre']);
const ALLOWED_ATTRS = { a: ['href', 'title'] };

function sanitize(html) {
  let out = '';
  const re = /<\/?([a-z0-9]+)([^>]*)>|([^<]+)/gi;
  let m;
  while ((m = re.exec(html)) !== null) {
    if (m[3] !== undefined) {
      out += m[3];
      continue;
    }
    const tag = m[1].toLowerCase();
    if (!ALLOWED_TAGS.has(tag)) continue;
    const closing = m[0].startsWith('</');
    if (closing) {
      out += `</${tag}>`;
      continue;
    }
    const attrs = [];
    const allowed = ALLOWED_ATTRS[tag] || [];
    const attrRe = /([a-z-]+)\s*=\s*"([^"]*)"/gi;
    let a;
    while ((a = attrRe.exec(m[2])) !== null) {
      const name = a[1].toLowerCase();
      if (!allowed.includes(name)) continue;
      if (name === 'href' && /^\s*javascript:/i.test(a[2])) continue;
      attrs.push(`${name}="${a[2]}"`);
    }
    out += attrs.length ? `<${tag} ${attrs.join(' ')}>` : `<${tag}>`;
  }
  return out;
}

module.exports = { sanitize };
