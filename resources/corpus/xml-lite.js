'use strict';

// Parses the small XML feeds partners send (no namespaces, no DTDs).
function parseXml(text) {
  const root = { name: '#root', attrs: {}, children: [], text: '' };
  const stack = [root];
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i);
      i = end < 0 ? text.length : end + 3;
    } else if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i);
      i = end < 0 ? text.length : end + 2;
    } else if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i);
      stack[stack.length - 1].text += text.slice(i + 9, end < 0 ? text.length : end);
      i = end < 0 ? text.length : end + 3;
    } else if (text[i] === '<') {
      const end = text.indexOf('>', i);
      if (end < 0) throw new Error(`unclosed tag at ${i}`);
      const raw = text.slice(i + 1, end).trim();
      if (raw.startsWith('/')) {
        const name = raw.slice(1).trim();
        const open = stack.pop();
        if (!open || open.name !== name) throw new Error(`mismatched </${name}> at ${i}`);
      } else {
        const selfClosing = raw.endsWith('/');
        const body = selfClosing ? raw.slice(0, -1) : raw;
        const [name, ...rest] = body.split(/\s+/);
        const node = { name, attrs: {}, children: [], text: '' };
        const attrRe = /([\w:-]+)="([^"]*)"/g;
        let m;
        while ((m = attrRe.exec(rest.join(' '))) !== null) {
          node.attrs[m[1]] = m[2];
        }
        stack[stack.length - 1].children.push(node);
        if (!selfClosing) stack.push(node);
      }
      i = end + 1;
    } else {
      const next = text.indexOf('<', i);
      const chunk = text.slice(i, next < 0 ? text.length : next);
      if (chunk.trim()) stack[stack.length - 1].text += chunk.trim();
      i = next < 0 ? text.length : next;
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
  return root.children[0];
}

function find(node, path) {
  return path.split('/').reduce((acc, name) => (acc ? acc.children.find((c) => c.name === name) : undefined), node);
}

module.exports = { parseXml, find };
