/** Hash routing: #/view/param?query. */
export const ROUTES = ['overview', 'system', 'swarms', 'tasks', 'neural', 'api', 'timeline', 'events', 'settings'] as const;
export type RouteName = (typeof ROUTES)[number];

interface Route {
  name: RouteName;
  params: string[];
  query: URLSearchParams;
}

function parse(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const [path = '', qs = ''] = raw.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const head = parts[0] as RouteName | undefined;
  const name = head && (ROUTES as readonly string[]).includes(head) ? head : 'overview';
  return { name, params: parts.slice(1), query: new URLSearchParams(qs) };
}

class Router {
  route = $state<Route>(parse(typeof location === 'undefined' ? '' : location.hash));

  constructor() {
    if (typeof window !== 'undefined') {
      window.addEventListener('hashchange', () => (this.route = parse(location.hash)));
    }
  }

  /**
   * Writes view state (filters, tabs, windows, selections) into the address so it survives a
   * reload; replaces the history entry, so Back leaves the view instead of undoing a filter.
   */
  setQuery(patch: Record<string, string | null | undefined>): void {
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a scratch copy, not state
    const q = new URLSearchParams(this.route.query);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || v === undefined || v === '') q.delete(k);
      else q.set(k, v);
    }
    const path = [this.route.name, ...this.route.params].map(encodeURIComponent).join('/');
    const qs = q.toString();
    const target = `#/${path}${qs ? `?${qs}` : ''}`;
    if (location.hash === target) return;
    history.replaceState(history.state, '', target);
    this.route = parse(target);
  }

  go(path: string): void {
    const target = path.startsWith('#') ? path : `#/${path.replace(/^\//, '')}`;
    if (location.hash === target) this.route = parse(target);
    else location.hash = target;
  }
}

export const router = new Router();

/**
 * One piece of view state that lives in the address's query: reading it follows the URL
 * (reload, Back, a pasted link); writing it rewrites the URL. The default is left out of it.
 */
export function queryParam<T extends string = string>(key: string, fallback: NoInfer<T>): { value: T } {
  return {
    get value() {
      return (router.route.query.get(key) as T | null) ?? fallback;
    },
    set value(v: T) {
      router.setQuery({ [key]: v === fallback ? null : v });
    },
  };
}

export function href(path: string): string {
  return `#/${path.replace(/^\//, '')}`;
}
