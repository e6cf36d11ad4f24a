import type { EventInput } from '../../shared/protocol/events';
import type { Swarm } from '../../shared/protocol/models';

/** A `swarm:created` for a swarm without agents, as the swarm engine would publish it: for tests that drive the bus directly. */
export function swarmCreated(id: string, name: string, topology: Swarm['topology'] = 'mesh'): EventInput<'swarm:created'> {
  return { id, swarmId: id, name, topology, createdAt: Date.now(), agents: [], agentCount: 0 };
}

/** A `swarm:efficiency` with every figure zero unless given. */
export function swarmEfficiency(swarmId: string, figures: Partial<EventInput<'swarm:efficiency'>> = {}): EventInput<'swarm:efficiency'> {
  return {
    swarmId,
    efficiency: 1,
    windowEfficiency: 1,
    avgLatency: 0,
    avgCoordinationMs: 0,
    messagesPerAssignment: 0,
    tasksPerMinute: 0,
    avgUtilization: 0,
    intervalMs: 1000,
    agents: 0,
    completed: 0,
    failed: 0,
    queued: 0,
    ...figures,
  };
}

/** A `task:created` for a task with nothing but an id and a title. */
export function taskCreated(id: string, title = id): EventInput<'task:created'> {
  return { id, title, priority: 'medium', requirements: [], estimatedDuration: 1000, requested: 'auto' };
}
