import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from '../../../shared/protocol/command-table';
import { SERVER_EVENTS } from '../../../shared/protocol/events';
import { GENERATED, generatedBlocks, regenerate } from '../../../scripts/docs/protocol-tables';

const page = readFileSync(new URL('../../../docs/protocol.md', import.meta.url), 'utf8');

// Formatting loads Prettier and its plugins: allow for a busy machine.
describe('docs/protocol.md', { timeout: 30_000 }, () => {
  it('holds every generated table, as the schemas produce it today (else: npm run docs)', async () => {
    expect(generatedBlocks(page).sort()).toEqual(Object.keys(GENERATED).sort());
    expect(await regenerate(page)).toBe(page);
  });

  it('a schema change makes the page stale', async () => {
    // Positive control for the test above: an edited table is told apart from the generated one.
    const edited = page.replace(/\| `swarm:create`(\s*)\|/, '| `swarm:make`  $1|');
    expect(edited).not.toBe(page);
    expect(await regenerate(edited)).toBe(page);
  });

  it('names every command and every event', () => {
    for (const name of COMMAND_NAMES) expect(page).toContain(`\`${name}\``);
    for (const name of SERVER_EVENTS) expect(page).toContain(`\`${name}\``);
  });

  it('refuses a block it has no generator for', async () => {
    await expect(regenerate('<!-- generated:nope -->\n<!-- /generated:nope -->')).rejects.toThrow(/no generator for block "nope"/);
  });
});

describe('docs links', () => {
  it('every relative link in README and docs/ points at a file in the repository', async () => {
    const { existsSync, readdirSync } = await import('node:fs');
    const root = new URL('../../../', import.meta.url);
    const pages = [
      'README.md',
      ...readdirSync(new URL('docs/', root))
        .filter((f) => f.endsWith('.md'))
        .map((f) => `docs/${f}`),
    ];
    const broken: string[] = [];
    let checked = 0;
    for (const name of pages) {
      const text = readFileSync(new URL(name, root), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue;
        checked++;
        const file = new URL(target!, new URL(name, root));
        if (!existsSync(file)) broken.push(`${name} → ${target}`);
      }
    }
    expect(checked).toBeGreaterThan(0);
    expect(broken).toEqual([]);
  });
});

describe('references', () => {
  it('code and docs cite pages in this repository, never a reference folder outside it', async () => {
    const { execFileSync } = await import('node:child_process');
    const root = new URL('../../../', import.meta.url);
    const tracked = execFileSync('git', ['ls-files', 'electron', 'shared', 'renderer', 'scripts', 'test', 'docs', 'README.md'], { cwd: root, encoding: 'utf8' }).split('\n');
    const citing = tracked.filter((file) => /\.(ts|svelte|md)$/.test(file) && /\b(PROTOCOL|DESIGN)\.md\b/.test(readFileSync(new URL(file, root), 'utf8')));
    // Positive control: the pattern does find such a citation.
    expect(/\b(PROTOCOL|DESIGN)\.md\b/.test(`see ${'PROTOCOL'}.md §9`)).toBe(true);
    expect(citing).toEqual([]);
  });
});
