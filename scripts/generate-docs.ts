import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { regenerate } from './docs/protocol-tables';

/** `npm run docs`: rewrites the generated tables of docs/protocol.md from the schemas in shared/protocol. */
const page = fileURLToPath(new URL('../docs/protocol.md', import.meta.url));
const before = readFileSync(page, 'utf8');
const after = await regenerate(before, page);
if (after === before) console.log('docs/protocol.md is up to date');
else {
  writeFileSync(page, after);
  console.log('docs/protocol.md regenerated');
}
