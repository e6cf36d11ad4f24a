import { describe, expect, it } from 'vitest';
import { busyAgentsOf, reportsBySwarm } from '../../renderer/src/lib/swarm-history';

const report = (swarmId: string, timestamp: number, agents: number, avgUtilization: number) => ({ swarmId, timestamp, agents, avgUtilization });

describe('busy agents from logged efficiency reports', () => {
  it('adds up the swarms of one sweep and starts a new sweep when a swarm reports again', () => {
    const reports = [report('a', 1000, 4, 0.5), report('b', 1001, 2, 1), report('a', 11_000, 4, 0.25), report('b', 11_001, 2, 0), report('a', 21_000, 5, 1)];
    expect(busyAgentsOf(reports)).toEqual({
      busy: [
        { x: 1000, y: 4 },
        { x: 11_000, y: 1 },
        { x: 21_000, y: 5 },
      ],
      total: [
        { x: 1000, y: 6 },
        { x: 11_000, y: 6 },
        { x: 21_000, y: 5 },
      ],
    });
  });

  it('groups reports per swarm in order', () => {
    const bySwarm = reportsBySwarm([report('a', 1, 1, 0), report('b', 2, 1, 0), report('a', 3, 1, 0)]);
    expect([...bySwarm].map(([id, list]) => [id, list.map((r) => r.timestamp)])).toEqual([
      ['a', [1, 3]],
      ['b', [2]],
    ]);
  });
});
