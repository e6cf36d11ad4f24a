/** Light/dark theme from CSS variables: follows the OS unless the user picks one. */
import { untrack } from 'svelte';

export type ThemeChoice = 'system' | 'light' | 'dark';
export type Density = 'comfortable' | 'compact';

const THEME_KEY = 'zenflow.theme';
const DENSITY_KEY = 'zenflow.density';
const SIDEBAR_KEY = 'zenflow.sidebar';

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}
function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    /* storage may be unavailable */
  }
}

class Theme {
  choice = $state<ThemeChoice>((read(THEME_KEY) as ThemeChoice | null) ?? 'system');
  density = $state<Density>((read(DENSITY_KEY) as Density | null) ?? 'comfortable');
  sidebarCollapsed = $state(read(SIDEBAR_KEY) === 'collapsed');
  osDark = $state(false);
  /** Bumped whenever the effective colours change, so charts re-read the CSS variables. */
  rev = $state(0);
  dark = $derived(this.choice === 'dark' || (this.choice === 'system' && this.osDark));

  #media: MediaQueryList | null = null;

  init(): void {
    this.#media = window.matchMedia('(prefers-color-scheme: dark)');
    this.osDark = this.#media.matches;
    this.#media.addEventListener('change', (e) => {
      this.osDark = e.matches;
      this.rev++;
    });
    this.apply();
  }

  set(choice: ThemeChoice): void {
    this.choice = choice;
    write(THEME_KEY, choice);
    this.apply();
  }

  setDensity(density: Density): void {
    this.density = density;
    write(DENSITY_KEY, density);
    this.apply();
  }

  toggleSidebar(): void {
    this.sidebarCollapsed = !this.sidebarCollapsed;
    write(SIDEBAR_KEY, this.sidebarCollapsed ? 'collapsed' : 'expanded');
  }

  apply(): void {
    const root = document.documentElement;
    if (this.choice === 'system') delete root.dataset.theme;
    else root.dataset.theme = this.choice;
    if (this.density === 'compact') root.dataset.density = 'compact';
    else delete root.dataset.density;
    this.rev++;
  }
}

export const theme = new Theme();

// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a cache, not state: nothing re-renders from it
const resolved = new Map<string, string>();
let resolvedRev = -1;

/**
 * The current colour of a palette variable such as '--chart-1', as a canvas takes it: the palette
 * writes each colour as light-dark(), which only an element's computed colour resolves. Kept until
 * the theme changes, so a chart's rebuild does not restyle the page once per series.
 */
export function cssVar(name: string): string {
  const rev = untrack(() => theme.rev);
  if (rev !== resolvedRev) {
    resolved.clear();
    resolvedRev = rev;
  }
  let color = resolved.get(name);
  if (color === undefined) {
    const probe = document.createElement('span');
    probe.hidden = true;
    probe.style.color = `var(${name})`;
    document.body.append(probe);
    color = getComputedStyle(probe).color || '#888';
    probe.remove();
    resolved.set(name, color);
  }
  return color;
}
