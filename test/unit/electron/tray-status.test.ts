import { describe, expect, it } from 'vitest';
import { dotBitmap, trayStatus } from '../../../electron/main/tray-status';

describe('tray status', () => {
  it('says stopped without a server', () => {
    expect(trayStatus(null, null)).toMatchObject({ tone: 'stopped', lines: ['Local server: stopped'] });
  });

  it('shows the local address, then LAN hosting with clients and URLs', () => {
    const base = { urls: [], clients: 0, fingerprint: null, devices: [] };
    expect(trayStatus('http://127.0.0.1:3456', { ...base, enabled: false })).toEqual({
      tone: 'ok',
      tooltip: 'Zen Flow — http://127.0.0.1:3456',
      lines: ['Local server: http://127.0.0.1:3456', 'LAN hosting: off'],
    });
    const lan = trayStatus('http://127.0.0.1:3456', { ...base, enabled: true, clients: 1, urls: ['http://192.168.1.4:3456/'] });
    expect(lan.tone).toBe('lan');
    expect(lan.lines).toEqual(['Local server: http://127.0.0.1:3456', 'LAN hosting: on, 1 LAN client', '  http://192.168.1.4:3456/']);
  });
});

describe('tray dot bitmap', () => {
  it('is a premultiplied BGRA dot: opaque status colour inside, transparent corners', () => {
    const size = 16;
    const px = dotBitmap(size, 'stopped');
    expect(px.length).toBe(size * size * 4);
    const at = (x: number, y: number) => [...px.subarray((y * size + x) * 4, (y * size + x) * 4 + 4)];
    expect(at(8, 8)).toEqual([46, 34, 207, 255]);
    expect(at(0, 0)).toEqual([0, 0, 0, 0]);
    for (let i = 0; i < px.length; i += 4) expect(Math.max(px[i] ?? 0, px[i + 1] ?? 0, px[i + 2] ?? 0)).toBeLessThanOrEqual(px[i + 3] ?? 0);
  });
});
