import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The lint rules that keep each layer in its lane (docs/architecture.md, Layers) and IPC in one file
 * really fire. The files linted here do not exist, so type-aware parsing (which needs them in a
 * tsconfig) is off for them, and so is the cycle check, which would walk the whole import graph.
 */
const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false, project: null } },
    rules: { '@typescript-eslint/no-floating-promises': 'off', 'import-x/no-cycle': 'off' },
  },
});
async function messages(path: string, code: string, rule: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path });
  const fatal = (result?.messages ?? []).filter((m) => m.fatal);
  if (fatal.length) throw new Error(fatal.map((m) => m.message).join('; '));
  return (result?.messages ?? []).filter((m) => m.ruleId === rule).map((m) => m.message);
}
const violations = (path: string, code: string) => messages(path, code, 'no-restricted-imports');

// The first lint loads ESLint, typescript-eslint and the import resolver: allow for a busy machine.
describe('layer boundaries', { timeout: 30_000 }, () => {
  it.each([
    ['electron/server/x.ts', "import { app } from 'electron';\nexport const a = app;"],
    ['electron/engines/x.ts', "import { BrowserWindow } from 'electron';\nexport const a = BrowserWindow;"],
    ['electron/store/x.ts', "import { app } from 'electron';\nexport const a = app;"],
    ['shared/x.ts', "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;"],
    ['shared/x.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;"],
    ['shared/x.ts', "import { EventEmitter } from 'events';\nexport const a = EventEmitter;"],
    ['renderer/src/x.ts', "import { readFileSync } from 'fs';\nexport const a = readFileSync;"],
    ['renderer/src/x.ts', "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;"],
    ['renderer/src/x.ts', "import { createZenFlowServer } from '../../electron/server/app';\nexport const a = createZenFlowServer;"],
    ['electron/engines/x.ts', "import { SocketServer } from '../server/socket/socket-server';\nexport const a = SocketServer;"],
    ['electron/store/x.ts', "import { EventBus } from '../engines/bus';\nexport const a = EventBus;"],
  ])('%s may not import that', async (path, code) => {
    expect(await violations(path, code)).not.toEqual([]);
  });

  it.each([
    ['electron/main/x.ts', "import { app } from 'electron';\nexport const a = app;"],
    ['electron/server/x.ts', "import { EventBus } from '../engines/bus';\nexport const a = EventBus;"],
    ['shared/x.ts', "import { channelOf } from './protocol/channels';\nexport const a = channelOf;"],
  ])('%s may import that', async (path, code) => {
    expect(await violations(path, code)).toEqual([]);
  });

  it('ipcMain is used only in electron/main/ipc.ts', async () => {
    const code = "import { ipcMain } from 'electron';\nipcMain.handle('x', () => 1);\n";
    expect(await messages('electron/main/window-extra.ts', code, 'no-restricted-syntax')).toEqual(['ipcMain is used only in electron/main/ipc.ts (the checked IPC router)']);
    expect(await messages('electron/main/ipc.ts', code, 'no-restricted-syntax')).toEqual([]);
  });
});
