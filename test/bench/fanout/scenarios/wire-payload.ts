/** The `swarm:created` payload ours sends for a one-agent swarm, so the bare servers put the same bytes on the wire. */
export function swarmCreatedPayload(seq: number, name: string, topology: string): Record<string, unknown> {
  const id = `swarm-${seq}`;
  const now = Date.now();
  return {
    id,
    name,
    topology,
    createdAt: now,
    agents: [{ id: `agent-${seq}`, swarmId: id, role: 'generalist', skills: ['generalist'], status: 'idle', load: 0, currentTaskId: null }],
    swarmId: id,
    agentCount: 1,
    timestamp: now,
    seq,
  };
}
