import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The lint rule that keeps each layer in its lane (docs/architecture.md, Layers) really fires. */
const eslint = new ESLint({ cwd: process.cwd() });
async function violations(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer boundaries', () => {
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
});
