/** Light/dark theme from CSS variables: follows the OS unless the user picks one. */
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

/** The current value of a CSS custom property such as '--chart-1'. */
export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

/** '#2f63d8' + 0.2 → 'rgba(47, 99, 216, 0.2)' (canvas-safe). */
export function withAlpha(color: string, alpha: number): string {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim());
  if (!m) return color;
  let hex = m[1]!;
  if (hex.length === 3) hex = [...hex].map((c) => c + c).join('');
  const n = parseInt(hex, 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
