export type Graph = Map<string, string[]>;

export function addEdge(graph: Graph, from: string, to: string): void {
  const list = graph.get(from) ?? [];
  list.push(to);
  graph.set(from, list);
  if (!graph.has(to)) graph.set(to, []);
}

/** Kahn's algorithm; throws on a cycle naming a node in it. */
export function topoSort(graph: Graph): string[] {
  const indegree = new Map<string, number>();
  for (const node of graph.keys()) indegree.set(node, 0);
  for (const targets of graph.values()) {
    for (const t of targets) indegree.set(t, (indegree.get(t) ?? 0) + 1);
  }
  const ready = [...indegree].filter(([, d]) => d === 0).map(([n]) => n);
  const order: string[] = [];
  while (ready.length > 0) {
    const node = ready.shift()!;
    order.push(node);
    for (const t of graph.get(node) ?? []) {
      const d = (indegree.get(t) ?? 0) - 1;
      indegree.set(t, d);
      if (d === 0) ready.push(t);
    }
  }
  if (order.length !== graph.size) {
    const stuck = [...indegree].find(([, d]) => d > 0);
    throw new Error(`cycle involving ${stuck?.[0]}`);
  }
  return order;
}

export function shortestPath(graph: Graph, from: string, to: string): string[] | null {
  const previous = new Map<string, string | null>([[from, null]]);
  const queue = [from];
  while (queue.length > 0) {
    const node = queue.shift()!;
    if (node === to) {
      const path: string[] = [];
      for (let n: string | null | undefined = to; n; n = previous.get(n)) path.unshift(n);
      return path;
    }
    for (const next of graph.get(node) ?? []) {
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return null;
}
