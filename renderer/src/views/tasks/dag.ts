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
  /** SVG path: a curve between neighbouring layers; an edge that skips layers runs through a free gap of every layer it crosses. */
  d: string;
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
  const edges = steps.flatMap((s) =>
    (s.dependsOn ?? []).filter((d) => byId.has(d)).map((d) => ({ from: d, to: s.id, d: routeEdge(nodes.get(d)!, nodes.get(s.id)!, dense, nodes, height) })),
  );
  const width = PAD * 2 + dense.length * NODE_W + Math.max(0, dense.length - 1) * GAP_X;
  return { nodes, edges, width, height };
}

/** Free heights (centre of a gap, or the padding above / below) in a layer's column. */
function freeLanes(ids: string[], nodes: Map<string, DagNode>, height: number): number[] {
  const ys = ids.map((id) => nodes.get(id)!.y).sort((a, b) => a - b);
  if (ys.length === 0) return [height / 2];
  const lanes = [ys[0]! / 2, (ys[ys.length - 1]! + NODE_H + height) / 2];
  for (let i = 1; i < ys.length; i++) lanes.push((ys[i - 1]! + NODE_H + ys[i]!) / 2);
  return lanes;
}

function routeEdge(a: DagNode, b: DagNode, layers: string[][], nodes: Map<string, DagNode>, height: number): string {
  const x1 = a.x + NODE_W;
  const y1 = a.y + NODE_H / 2;
  const x2 = b.x - 2;
  const y2 = b.y + NODE_H / 2;
  if (b.layer - a.layer <= 1) return `M ${x1} ${y1} C ${x1 + 25} ${y1}, ${x2 - 25} ${y2}, ${x2} ${y2}`;
  // A height free in every crossed layer, nearest the straight line between the ends.
  const crossed = layers.slice(a.layer + 1, b.layer);
  const candidates = crossed
    .flatMap((ids) => freeLanes(ids, nodes, height))
    .filter((y) =>
      crossed.every((ids) =>
        ids.every((id) => {
          const n = nodes.get(id)!;
          return y <= n.y - 2 || y >= n.y + NODE_H + 2;
        }),
      ),
    );
  const mid = (y1 + y2) / 2;
  const lane = candidates.sort((p, q) => Math.abs(p - mid) - Math.abs(q - mid))[0] ?? height - PAD / 2;
  const gx1 = x1 + GAP_X / 2;
  const gx2 = b.x - GAP_X / 2;
  return `M ${x1} ${y1} H ${gx1} V ${lane} H ${gx2} V ${y2} H ${x2}`;
}
