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

  go(path: string): void {
    const target = path.startsWith('#') ? path : `#/${path.replace(/^\//, '')}`;
    if (location.hash === target) this.route = parse(target);
    else location.hash = target;
  }
}

export const router = new Router();

export function href(path: string): string {
  return `#/${path.replace(/^\//, '')}`;
}
