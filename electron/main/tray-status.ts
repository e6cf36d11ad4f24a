import type { LanState } from '../../shared/bridge';

/** What the tray shows, derived from the local server's state (pure, so tested without a tray). */

export type TrayTone = 'ok' | 'lan' | 'stopped';

const TONE_RGB: Record<TrayTone, readonly [number, number, number]> = {
  ok: [46, 160, 67],
  lan: [219, 143, 0],
  stopped: [207, 34, 46],
};

export interface TrayStatus {
  tone: TrayTone;
  tooltip: string;
  /** Disabled menu lines above the actions. */
  lines: string[];
}

export function trayStatus(url: string | null, lan: LanState | null): TrayStatus {
  if (!url || !lan) return { tone: 'stopped', tooltip: 'Zen Flow — server stopped', lines: ['Local server: stopped'] };
  if (!lan.enabled) return { tone: 'ok', tooltip: `Zen Flow — ${url}`, lines: [`Local server: ${url}`, 'LAN hosting: off'] };
  const clients = `${lan.clients} LAN client${lan.clients === 1 ? '' : 's'}`;
  return {
    tone: 'lan',
    tooltip: `Zen Flow — LAN hosting, ${clients}`,
    lines: [`Local server: ${url}`, `LAN hosting: on, ${clients}`, ...lan.urls.map((u) => `  ${u}`)],
  };
}

/**
 * A filled, anti-aliased status dot as a BGRA bitmap (nativeImage.createFromBitmap's
 * layout), so the tray needs no image files and its colour can carry the state.
 */
export function dotBitmap(size: number, tone: TrayTone): Buffer {
  const [r, g, b] = TONE_RGB[tone];
  const pixels = Buffer.alloc(size * size * 4);
  const centre = (size - 1) / 2;
  const radius = size * 0.4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const coverage = Math.min(1, Math.max(0, radius + 0.5 - Math.hypot(x - centre, y - centre)));
      const alpha = Math.round(coverage * 255);
      const i = (y * size + x) * 4;
      // Premultiplied, as Skia expects.
      pixels[i] = Math.round((b * alpha) / 255);
      pixels[i + 1] = Math.round((g * alpha) / 255);
      pixels[i + 2] = Math.round((r * alpha) / 255);
      pixels[i + 3] = alpha;
    }
  }
  return pixels;
}
