import { describe, expect, it } from 'vitest';
import { layoutDag, NODE_H, NODE_W } from '../../renderer/src/views/tasks/dag';

/** Points along an edge's path: straight segments sampled, cubic curves sampled by their formula. */
function sample(d: string): [number, number][] {
  const tokens = d.replace(/,/g, ' ').trim().split(/\s+/);
  const pts: [number, number][] = [];
  let x = 0;
  let y = 0;
  for (let i = 0; i < tokens.length;) {
    const cmd = tokens[i++]!;
    const num = () => Number(tokens[i++]);
    const line = (nx: number, ny: number) => {
      for (let t = 0; t <= 1; t += 0.02) pts.push([x + (nx - x) * t, y + (ny - y) * t]);
      x = nx;
      y = ny;
    };
    if (cmd === 'M') [x, y] = [num(), num()];
    else if (cmd === 'H') line(num(), y);
    else if (cmd === 'V') line(x, num());
    else if (cmd === 'C') {
      const [ax, ay, bx, by, cx, cy] = [num(), num(), num(), num(), num(), num()];
      for (let t = 0; t <= 1; t += 0.02) {
        const u = 1 - t;
        pts.push([u ** 3 * x + 3 * u * u * t * ax + 3 * u * t * t * bx + t ** 3 * cx, u ** 3 * y + 3 * u * u * t * ay + 3 * u * t * t * by + t ** 3 * cy]);
      }
      [x, y] = [cx, cy];
    } else throw new Error(`unexpected path command ${cmd}`);
  }
  return pts;
}

describe('workflow DAG layout', () => {
  it('routes an edge that skips layers around the nodes in between, not through them', () => {
    // a → b → c → d, plus a → d and b → d: long edges cross the layers of b and c.
    const lay = layoutDag([
      { id: 'a', title: 'A' },
      { id: 'b', title: 'B', dependsOn: ['a'] },
      { id: 'c', title: 'C', dependsOn: ['b'] },
      { id: 'd', title: 'D', dependsOn: ['c', 'a', 'b'] },
    ]);
    expect(lay.edges).toHaveLength(5);
    for (const e of lay.edges) {
      for (const n of lay.nodes.values()) {
        if (n.id === e.from || n.id === e.to) continue;
        const hits = sample(e.d).filter(([x, y]) => x > n.x + 1 && x < n.x + NODE_W - 1 && y > n.y + 1 && y < n.y + NODE_H - 1);
        expect(hits, `${e.from}→${e.to} crosses ${n.id}`).toEqual([]);
      }
    }
    const ys = lay.edges.flatMap((e) => sample(e.d).map(([, y]) => y));
    expect(Math.min(...ys)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...ys)).toBeLessThanOrEqual(lay.height);
  });

  it('a naive straight curve would cross the middle node (positive control)', () => {
    const lay = layoutDag([
      { id: 'a', title: 'A' },
      { id: 'b', title: 'B', dependsOn: ['a'] },
      { id: 'c', title: 'C', dependsOn: ['a', 'b'] },
    ]);
    const [a, b, c] = ['a', 'b', 'c'].map((id) => lay.nodes.get(id)!);
    const naive = `M ${a!.x + NODE_W} ${a!.y + NODE_H / 2} C ${a!.x + NODE_W + 25} ${a!.y + NODE_H / 2}, ${c!.x - 27} ${c!.y + NODE_H / 2}, ${c!.x - 2} ${c!.y + NODE_H / 2}`;
    expect(sample(naive).some(([x, y]) => x > b!.x && x < b!.x + NODE_W && y > b!.y && y < b!.y + NODE_H)).toBe(true);
    const routed = lay.edges.find((e) => e.from === 'a' && e.to === 'c')!;
    expect(sample(routed.d).some(([x, y]) => x > b!.x + 1 && x < b!.x + NODE_W - 1 && y > b!.y + 1 && y < b!.y + NODE_H - 1)).toBe(false);
  });
});
