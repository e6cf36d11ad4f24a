import type { Random } from '../random';
import type { SwarmState, Topology } from './state';

/**
 * The coordination model: before an agent starts a task the swarm spends
 * messages and network hops agreeing on it, and that cost depends on topology
 * and size. Mesh broadcasts the claim to every peer; a star routes through one
 * hub that handles assignments one at a time (it queues under load); a
 * hierarchy goes up and down a tree of fan-out 4; a ring passes the claim a
 * quarter of the way round on average (both directions).
 */
export const COORDINATION = { hopMs: 20, messageMs: 5, hubServiceMs: 10, fanOut: 4 } as const;

export interface CoordinationShape {
  hops: number;
  messages: number;
  /** Time the hub is occupied per assignment; 0 when there is no hub. */
  hubServiceMs: number;
}

export function shapeOf(topology: Topology, agents: number): CoordinationShape {
  const n = Math.max(1, agents);
  switch (topology) {
    case 'mesh':
      return { hops: 1, messages: Math.max(1, n - 1), hubServiceMs: 0 };
    case 'star':
      return { hops: 2, messages: 2, hubServiceMs: COORDINATION.hubServiceMs };
    case 'hierarchical': {
      const depth = Math.max(1, Math.ceil(Math.log(n) / Math.log(COORDINATION.fanOut)));
      return { hops: 2 * depth, messages: 2 * depth, hubServiceMs: 0 };
    }
    case 'ring': {
      const hops = Math.max(1, Math.ceil(n / 4));
      return { hops, messages: hops, hubServiceMs: 0 };
    }
  }
}

function transitMs(shape: CoordinationShape): number {
  return shape.hops * COORDINATION.hopMs + shape.messages * COORDINATION.messageMs;
}

/**
 * Expected coordination delay per assignment at a steady assignment rate; a hub
 * is an M/D/1 queue. Infinity when a hub could not keep up with that rate.
 */
export function predictDelay(topology: Topology, agents: number, assignmentsPerSec: number): number {
  const shape = shapeOf(topology, agents);
  if (shape.hubServiceMs === 0) return transitMs(shape);
  const rho = (assignmentsPerSec * shape.hubServiceMs) / 1000;
  if (rho >= 1) return Infinity;
  return transitMs(shape) + shape.hubServiceMs + (rho * shape.hubServiceMs) / (2 * (1 - rho));
}

/** Simulates one assignment's coordination: the delay before the agent can start (±20 % jitter) and the messages spent. */
export function coordinate(swarm: SwarmState, now: number, random: Random): { delayMs: number; messages: number } {
  const shape = shapeOf(swarm.topology, swarm.agents.size);
  let delay = transitMs(shape) * (0.8 + 0.4 * random.next());
  if (shape.hubServiceMs > 0) {
    swarm.hubFreeAt = Math.max(now, swarm.hubFreeAt) + shape.hubServiceMs;
    delay += swarm.hubFreeAt - now;
  }
  return { delayMs: Math.max(1, Math.round(delay)), messages: shape.messages };
}
