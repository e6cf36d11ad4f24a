import { describe, expect, it, vi } from 'vitest';
import { IPC, ipcArgs, type IpcChannel, type LanState } from '../../../shared/bridge';
import { createBridgeHandlers, type BridgeDeps } from '../../../electron/main/bridge-handlers';
import { createIpcRouter } from '../../../electron/main/ipc-router';
import { APP_ORIGIN, type SenderInfo } from '../../../electron/main/policy';

const trusted: SenderInfo = { frameUrl: 'app://zenflow/index.html', isMainFrame: true, fromAppWindow: true };
const lanState: LanState = { enabled: false, urls: [], clients: 0, fingerprint: null, devices: [] };

function fakeDeps(): BridgeDeps & { opened: string[]; notified: unknown[] } {
  const opened: string[] = [];
  const notified: unknown[] = [];
  return {
    opened,
    notified,
    host: {
      connection: async () => ({ url: 'http://127.0.0.1:3456', token: 'local-admin' }),
      state: async () => lanState,
      setLan: async (enabled) => ({ ...lanState, enabled }),
      pair: async () => ({ ...lanState, enabled: true, pairingCode: 'ABCD-EFGH', pairingExpiresAt: 1 }),
      revokeDevice: async () => lanState,
    },
    profiles: {
      list: async () => [],
      save: async (p) => ({ id: p.id ?? 'new-id', name: p.name, url: p.url, fingerprint: p.fingerprint ?? null, hasToken: p.token !== undefined, active: false }),
      remove: async () => undefined,
      activate: async () => undefined,
      active: async () => ({ mode: 'local' }),
    },
    notify: (n) => void notified.push(n),
    openExternal: async (url) => void opened.push(url),
    appInfo: () => ({ name: 'zenflow', version: '0.1.0', electron: '41', chrome: '1', node: '20', platform: 'linux', dataDir: '/tmp', secretStore: 'keychain' }),
    redeemPairing: async (link) => ({ url: new URL(link).origin, token: 'device-token', fingerprint: new URL(link).searchParams.get('fp')! }),
  };
}

const router = (deps = fakeDeps()) => ({ deps, route: createIpcRouter(createBridgeHandlers(deps), [APP_ORIGIN]) });

describe('IPC payload schemas', () => {
  const refuses = (channel: IpcChannel, args: unknown[]) => expect(ipcArgs[channel].safeParse(args).success, `${channel} ${JSON.stringify(args)}`).toBe(false);
  const accepts = (channel: IpcChannel, args: unknown[]) => expect(ipcArgs[channel].safeParse(args).success, `${channel} ${JSON.stringify(args)}`).toBe(true);

  it('cover every channel', () => {
    expect(Object.keys(ipcArgs).sort()).toEqual(Object.values(IPC).sort());
  });

  it('take only https pairing links that carry a code and a fingerprint', () => {
    const fp = Array.from({ length: 32 }, () => 'AB').join(':');
    accepts(IPC.profilesPair, [{ link: `https://192.168.1.4:3456/?pair=ABCD-EFGH&fp=${fp}`, name: 'Lab' }]);
    refuses(IPC.profilesPair, [{ link: `http://192.168.1.4:3456/?pair=ABCD-EFGH&fp=${fp}`, name: 'Lab' }]);
    refuses(IPC.profilesPair, [{ link: 'https://192.168.1.4:3456/?pair=ABCD-EFGH', name: 'Lab' }]);
    refuses(IPC.profilesPair, [{ link: `https://192.168.1.4:3456/?fp=${fp}`, name: 'Lab' }]);
    refuses(IPC.profilesPair, [{ link: `https://192.168.1.4:3456/?pair=ABCD-EFGH&fp=${fp}`, name: '' }]);
  });

  it('refuse arguments on argument-less channels', () => {
    refuses(IPC.getConnection, [1]);
    refuses(IPC.profilesList, [{}]);
    refuses(IPC.appInfo, [undefined]);
    accepts(IPC.getConnection, []);
  });

  it('refuse bad profiles', () => {
    accepts(IPC.profilesSave, [{ name: 'Prod', url: 'https://zen.example.com:3456/', token: 'abc' }]);
    for (const bad of [
      [],
      [null],
      ['https://x.example'],
      [{ name: 'Prod' }],
      [{ name: '', url: 'https://x.example' }],
      [{ name: '   ', url: 'https://x.example' }],
      [{ name: 'x'.repeat(81), url: 'https://x.example' }],
      [{ name: 'P', url: 'javascript:alert(1)' }],
      [{ name: 'P', url: 'file:///etc/passwd' }],
      [{ name: 'P', url: 'ws://x.example' }],
      [{ name: 'P', url: 'https://user:pw@x.example' }],
      [{ name: 'P', url: 'https://x.example/?token=abc' }],
      [{ name: 'P', url: 'not a url' }],
      [{ name: 'P', url: 'https://x.example', token: '' }],
      [{ name: 'P', url: 'https://x.example', token: 'has space' }],
      [{ name: 'P', url: 'https://x.example', token: 'x'.repeat(8193) }],
      [{ name: 'P', url: 'https://x.example', id: 'local' }],
      [{ name: 'P', url: 'https://x.example', id: '../etc' }],
      [{ name: 'P', url: 'https://x.example', admin: true }],
      [{ name: 'P', url: 'https://x.example' }, 'extra'],
    ]) {
      refuses(IPC.profilesSave, bad);
    }
  });

  it('normalize a server URL', () => {
    const [profile] = ipcArgs[IPC.profilesSave].parse([{ name: ' Prod ', url: ' HTTPS://Zen.Example.com:3456/ ' }]);
    expect(profile).toEqual({ name: 'Prod', url: 'https://zen.example.com:3456' });
  });

  it('refuse bad ids, flags, notifications and URLs', () => {
    accepts(IPC.profilesActivate, ['local']);
    accepts(IPC.profilesActivate, ['3f2b0c1e-0000-4000-8000-000000000000']);
    refuses(IPC.profilesRemove, ['local']);
    refuses(IPC.profilesActivate, ['']);
    refuses(IPC.profilesActivate, [{ id: 'x' }]);
    refuses(IPC.lanSet, ['true']);
    refuses(IPC.lanSet, [1]);
    refuses(IPC.lanSet, []);
    accepts(IPC.lanRevokeDevice, ['lan:0a1b2c3d:Ana’s phone']);
    refuses(IPC.lanRevokeDevice, ['local-admin']);
    refuses(IPC.lanRevokeDevice, ['lan:zz:phone']);
    accepts(IPC.notify, [{ title: 'CPU critical', body: '97 %', severity: 'critical' }]);
    refuses(IPC.notify, [{ title: 'x', body: 'y', severity: 'fatal' }]);
    refuses(IPC.notify, [{ title: '', body: 'y', severity: 'info' }]);
    refuses(IPC.notify, [{ title: 'x', body: 'y'.repeat(1001), severity: 'info' }]);
    refuses(IPC.notify, [{ title: 'x', body: 'y', severity: 'info', icon: '/etc/passwd' }]);
    refuses(IPC.openExternal, [42]);
    refuses(IPC.openExternal, [`https://${'a'.repeat(2050)}`]);
  });
});

describe('IPC router', () => {
  it('runs the handler for a trusted sender with valid arguments', async () => {
    const { route } = router();
    await expect(route(IPC.getConnection, trusted, [])).resolves.toEqual({
      mode: 'local',
      url: 'http://127.0.0.1:3456',
      token: 'local-admin',
      profileId: 'local',
      name: 'This computer',
    });
    await expect(route(IPC.lanSet, trusted, [true])).resolves.toMatchObject({ enabled: true });
  });

  it('refuses untrusted senders before validating or running anything', async () => {
    const deps = fakeDeps();
    const setLan = vi.spyOn(deps.host, 'setLan');
    const { route } = router(deps);
    for (const sender of [
      { ...trusted, frameUrl: 'https://evil.example/' },
      { ...trusted, frameUrl: 'file:///index.html' },
      { ...trusted, isMainFrame: false },
      { ...trusted, fromAppWindow: false, frameUrl: 'devtools://devtools/bundled/devtools_app.html' },
      { ...trusted, frameUrl: null },
    ]) {
      await expect(route(IPC.lanSet, sender, [true])).rejects.toThrow('zenflow:lan:set refused: the caller is not the Zen Flow window');
    }
    expect(setLan).not.toHaveBeenCalled();
  });

  it('turns bad input into an Error naming the field', async () => {
    const deps = fakeDeps();
    const save = vi.spyOn(deps.profiles, 'save');
    const { route } = router(deps);
    await expect(route(IPC.profilesSave, trusted, [{ name: 'P', url: 'javascript:alert(1)' }])).rejects.toThrow(
      /^zenflow:profiles:save: invalid arguments: url: an http:\/\/ or https:\/\/ server address/,
    );
    await expect(route(IPC.lanSet, trusted, ['yes'])).rejects.toThrow(/zenflow:lan:set: invalid arguments/);
    await expect(route(IPC.getConnection, trusted, ['extra'])).rejects.toThrow(/invalid arguments/);
    expect(save).not.toHaveBeenCalled();
  });

  it('passes parsed (normalized) arguments to handlers', async () => {
    const deps = fakeDeps();
    const save = vi.spyOn(deps.profiles, 'save');
    const { route } = router(deps);
    await route(IPC.profilesSave, trusted, [{ name: ' P ', url: 'https://x.example/' }]);
    expect(save).toHaveBeenCalledWith({ name: 'P', url: 'https://x.example' });
  });
});

describe('bridge handlers', () => {
  it('connect to the active remote profile, with a null token when none is stored', async () => {
    const deps = fakeDeps();
    deps.profiles.active = async () => ({ mode: 'remote', profile: { id: 'p1', name: 'Prod', url: 'https://zen.example.com' }, token: null });
    const { route } = router(deps);
    await expect(route(IPC.getConnection, trusted, [])).resolves.toEqual({ mode: 'remote', url: 'https://zen.example.com', token: null, profileId: 'p1', name: 'Prod' });
  });

  it('activate resolves with where to connect next', async () => {
    const deps = fakeDeps();
    const activate = vi.spyOn(deps.profiles, 'activate');
    const { route } = router(deps);
    await expect(route(IPC.profilesActivate, trusted, ['local'])).resolves.toMatchObject({ mode: 'local', profileId: 'local' });
    expect(activate).toHaveBeenCalledWith('local');
  });

  it('open only allowlisted links, refusing the rest with an Error', async () => {
    const { deps, route } = router();
    await route(IPC.openExternal, trusted, ['https://socket.io/docs/v4/']);
    for (const url of ['javascript:alert(1)', 'file:///etc/passwd', 'http://evil.example/', 'https://evil.example/docs', 'smb://host/share']) {
      await expect(route(IPC.openExternal, trusted, [url]), url).rejects.toThrow(/^refused: only allowlisted/);
    }
    expect(deps.opened).toEqual(['https://socket.io/docs/v4/']);
  });

  it('notify hands the validated notification over', async () => {
    const { deps, route } = router();
    await route(IPC.notify, trusted, [{ title: 'CPU critical', body: '97 %', severity: 'critical' }]);
    expect(deps.notified).toEqual([{ title: 'CPU critical', body: '97 %', severity: 'critical' }]);
  });
});
