/** Layered layout for a workflow DAG: each step sits one layer right of its deepest dependency. */
export interface DagNode {
  id: string;
  title: string;
  layer: number;
  row: number;
  x: number;
  y: number;
}
export interface DagEdge {
  from: string;
  to: string;
}
export interface DagLayout {
  nodes: Map<string, DagNode>;
  edges: DagEdge[];
  width: number;
  height: number;
}

export const NODE_W = 150;
export const NODE_H = 40;
const GAP_X = 50;
const GAP_Y = 16;
const PAD = 10;

export function layoutDag(steps: { id: string; title: string; dependsOn?: string[] }[]): DagLayout {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const layerOf = new Map<string, number>();
  const visiting = new Set<string>();
  const depth = (id: string): number => {
    const known = layerOf.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0; // a cycle cannot be laid out; the schema refuses them anyway
    visiting.add(id);
    const deps = (byId.get(id)?.dependsOn ?? []).filter((d) => byId.has(d));
    const d = deps.length ? Math.max(...deps.map(depth)) + 1 : 0;
    visiting.delete(id);
    layerOf.set(id, d);
    return d;
  };
  steps.forEach((s) => depth(s.id));
  const layers: string[][] = [];
  for (const s of steps) (layers[layerOf.get(s.id) ?? 0] ??= []).push(s.id);
  // Layers may have holes (a cycle can skip a depth): treat them as empty columns.
  const dense = Array.from(layers, (l) => l ?? []);
  const maxRows = Math.max(1, ...dense.map((l) => l.length));
  const height = PAD * 2 + maxRows * NODE_H + (maxRows - 1) * GAP_Y;
  const nodes = new Map<string, DagNode>();
  dense.forEach((ids, layer) => {
    const colH = ids.length * NODE_H + (ids.length - 1) * GAP_Y;
    const top = (height - colH) / 2;
    ids.forEach((id, row) => {
      nodes.set(id, { id, title: byId.get(id)?.title ?? id, layer, row, x: PAD + layer * (NODE_W + GAP_X), y: top + row * (NODE_H + GAP_Y) });
    });
  });
  const edges = steps.flatMap((s) => (s.dependsOn ?? []).filter((d) => byId.has(d)).map((d) => ({ from: d, to: s.id })));
  const width = PAD * 2 + dense.length * NODE_W + Math.max(0, dense.length - 1) * GAP_X;
  return { nodes, edges, width, height };
}
