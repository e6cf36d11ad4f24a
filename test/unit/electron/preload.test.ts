import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC, type ZenFlowBridge } from '../../../shared/bridge';

const exposed: Record<string, unknown> = {};
const invoke = vi.fn(async (..._args: unknown[]) => 'result');

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer: { invoke, send: vi.fn(), on: vi.fn(), sendSync: vi.fn() },
}));

const bridge = () => exposed.zenflow as ZenFlowBridge;

describe('preload bridge', () => {
  beforeAll(async () => {
    await import('../../../electron/preload/index');
  });

  it('exposes window.zenflow holding only the bridge functions, never ipcRenderer or a generic invoke/send', () => {
    const leaves = (node: object, prefix = ''): [string, unknown][] =>
      Object.entries(node).flatMap(([key, value]): [string, unknown][] =>
        typeof value === 'function' ? [[`${prefix}${key}`, value]] : leaves(value as object, `${prefix}${key}.`),
      );
    expect(Object.keys(exposed)).toEqual(['zenflow']);
    const found = leaves(bridge());
    expect(found.map(([name]) => name).sort()).toEqual([
      'appInfo',
      'getConnection',
      'lan.get',
      'lan.pair',
      'lan.revokeDevice',
      'lan.set',
      'notify',
      'openExternal',
      'profiles.activate',
      'profiles.list',
      'profiles.pair',
      'profiles.remove',
      'profiles.save',
    ]);
    for (const [, fn] of found) expect(fn).not.toBe(invoke);
  });

  it('binds each function to its own channel with exactly its arguments', async () => {
    const b = bridge();
    const profile = { name: 'P', url: 'https://x.example' };
    const pairing = { link: 'https://192.168.1.4:3456/?pair=ABCD-EFGH&fp=AB', name: 'Lab' };
    const note = { title: 't', body: 'b', severity: 'critical' } as const;
    const calls: [() => Promise<unknown>, string, unknown[]][] = [
      [() => b.getConnection(), IPC.getConnection, []],
      [() => b.profiles.list(), IPC.profilesList, []],
      [() => b.profiles.save(profile), IPC.profilesSave, [profile]],
      [() => b.profiles.remove('p1'), IPC.profilesRemove, ['p1']],
      [() => b.profiles.activate('local'), IPC.profilesActivate, ['local']],
      [() => b.profiles.pair(pairing), IPC.profilesPair, [pairing]],
      [() => b.lan.get(), IPC.lanGet, []],
      [() => b.lan.set(true), IPC.lanSet, [true]],
      [() => b.lan.pair(), IPC.lanPair, []],
      [() => b.lan.revokeDevice('lan:0a1b2c3d:phone'), IPC.lanRevokeDevice, ['lan:0a1b2c3d:phone']],
      [() => b.notify(note), IPC.notify, [note]],
      [() => b.openExternal('https://socket.io/docs/v4/'), IPC.openExternal, ['https://socket.io/docs/v4/']],
      [() => b.appInfo(), IPC.appInfo, []],
    ];
    expect(new Set(calls.map((c) => c[1])).size).toBe(Object.keys(IPC).length);
    for (const [call, channel, args] of calls) {
      invoke.mockClear();
      await expect(call()).resolves.toBe('result');
      expect(invoke).toHaveBeenCalledExactlyOnceWith(channel, ...args);
    }
  });

  it('imports no runtime value but electron: a sandboxed preload can require nothing else', () => {
    const source = readFileSync(new URL('../../../electron/preload/index.ts', import.meta.url), 'utf8');
    const imports = [...source.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'([^']+)';/gms)].map((m) => ({ typeOnly: Boolean(m[1]), from: m[2] }));
    expect(imports.length).toBeGreaterThan(0);
    for (const i of imports) expect(i.typeOnly || i.from === 'electron', i.from).toBe(true);
  });
});
