import type { Agent, Swarm } from '../../../../shared/protocol/models';

export interface NodePos {
  agent: Agent;
  x: number;
  y: number;
}
export interface Edge {
  a: number;
  b: number;
}
export interface Layout {
  nodes: NodePos[];
  edges: Edge[];
  /** Edges not drawn because there are too many (mesh with many agents). */
  omittedEdges: number;
  radius: number;
  hub: number | null;
}

export const W = 640;
export const H = 420;
const PAD = 28;
const FAN_OUT = 4;
const MAX_MESH_EDGES = 1200;

const isLead = (a: Agent) => /lead|coord|hub|queen|manager|architect/i.test(a.role);

/** Leads first, then by role, keeping the server's order inside a role. */
function ordered(agents: Agent[]): Agent[] {
  return agents
    .map((a, i) => ({ a, i }))
    .sort((x, y) => Number(isLead(y.a)) - Number(isLead(x.a)) || x.i - y.i)
    .map((x) => x.a);
}

function nodeRadius(n: number): number {
  if (n <= 12) return 14;
  if (n <= 40) return 10;
  if (n <= 100) return 7;
  if (n <= 300) return 4.5;
  return 3;
}

function circle(agents: Agent[], cx: number, cy: number, r: number): NodePos[] {
  const n = agents.length;
  return agents.map((agent, i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(1, n);
    return { agent, x: cx + r * Math.cos(angle), y: cy + r * Math.sin(angle) };
  });
}

/** Positions agents for the swarm's topology: mesh and ring on a circle, star around a hub, hierarchy as a fan-out-4 tree. */
export function layout(swarm: Swarm): Layout {
  const agents = ordered(swarm.agents);
  const n = agents.length;
  const radius = nodeRadius(n);
  const cx = W / 2;
  const cy = H / 2;
  const ringR = Math.min(W, H) / 2 - PAD - radius;

  switch (swarm.topology) {
    case 'ring': {
      const nodes = circle(agents, cx, cy, ringR);
      const edges = n > 1 ? nodes.map((_, i) => ({ a: i, b: (i + 1) % n })).slice(0, n === 2 ? 1 : n) : [];
      return { nodes, edges, omittedEdges: 0, radius, hub: null };
    }
    case 'star': {
      if (n === 0) return { nodes: [], edges: [], omittedEdges: 0, radius, hub: null };
      const [hub, ...rest] = agents;
      const nodes = [{ agent: hub!, x: cx, y: cy }, ...circle(rest, cx, cy, ringR)];
      const edges = rest.map((_, i) => ({ a: 0, b: i + 1 }));
      return { nodes, edges, omittedEdges: 0, radius, hub: 0 };
    }
    case 'hierarchical': {
      const depthOf = (i: number): number => (i === 0 ? 0 : depthOf(Math.floor((i - 1) / FAN_OUT)) + 1);
      const levels: number[][] = [];
      agents.forEach((_, i) => {
        const d = depthOf(i);
        (levels[d] ??= []).push(i);
      });
      const rowH = levels.length > 1 ? (H - 2 * PAD) / (levels.length - 1) : 0;
      const pos: NodePos[] = new Array(n);
      levels.forEach((idx, d) => {
        idx.forEach((i, k) => {
          const x = PAD + ((k + 0.5) * (W - 2 * PAD)) / idx.length;
          const y = levels.length > 1 ? PAD + d * rowH : cy;
          pos[i] = { agent: agents[i]!, x, y };
        });
      });
      const edges = agents.slice(1).map((_, j) => ({ a: Math.floor(j / FAN_OUT), b: j + 1 }));
      return { nodes: pos, edges, omittedEdges: 0, radius: Math.min(radius, levels.length > 5 ? 5 : radius), hub: 0 };
    }
    default: {
      const nodes = circle(agents, cx, cy, ringR);
      const total = (n * (n - 1)) / 2;
      const edges: Edge[] = [];
      if (total <= MAX_MESH_EDGES) for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) edges.push({ a, b });
      return { nodes, edges, omittedEdges: total <= MAX_MESH_EDGES ? 0 : total, radius, hub: null };
    }
  }
}
