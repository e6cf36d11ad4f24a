export * from '../../../shared/protocol/config-schemas';

/** Where an engine reads its settings from and hears about changes; the config engine provides one per component. */
export interface SettingsSource<T> {
  get(): T;
  subscribe(listener: (settings: T) => void): () => void;
}

/** A fixed source, for engines run without the config engine (tests, tools). */
export function staticSettings<T>(settings: T): SettingsSource<T> {
  return { get: () => settings, subscribe: () => () => {} };
}
