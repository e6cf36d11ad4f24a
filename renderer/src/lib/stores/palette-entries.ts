import type { Scope } from '../../../../shared/protocol/permissions';

/** Extra command-palette entries contributed by the stores (swarms, tasks, actions). */
export interface PaletteItem {
  id: string;
  label: string;
  hint?: string;
  keywords?: string[];
  /** The scope the action needs; the palette disables it and names the scope when the session lacks it. */
  needs?: Scope;
  run: () => void;
}
export interface PaletteGroup {
  heading: string;
  items: PaletteItem[];
}

const providers = new Set<() => PaletteGroup>();

export function registerPaletteProvider(provider: () => PaletteGroup): () => void {
  providers.add(provider);
  return () => providers.delete(provider);
}

/** Reads the providers inside a reactive context so entries follow the stores. */
export function paletteEntries(): PaletteGroup[] {
  return [...providers].map((p) => p());
}
