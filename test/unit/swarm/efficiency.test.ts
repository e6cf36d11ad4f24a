import { afterEach, describe, expect, it } from 'vitest';
import { defaultsOf, staticSettings } from '../../../electron/engines/config/schemas';
import { taskCreateSchema } from '../../../shared/protocol/commands';
import { firstReportAt } from '../../../electron/engines/swarm/efficiency';
import { openAppDatabase } from '../../../electron/engines/migrations';
import { harness, tempDir } from './harness';

const T0 = 1_700_000_000_000;
const task = (extra: Record<string, unknown> = {}) => taskCreateSchema.parse({ title: 'T', ...extra });
const settings = (over: Partial<ReturnType<typeof defaultsOf<'swarms'>>> = {}) => staticSettings({ ...defaultsOf('swarms'), failureRate: 0, ...over });

let h: ReturnType<typeof harness>;
afterEach(() => {
  expect(h.violations).toEqual([]);
  h.engine.stop();
});

describe('swarm:efficiency', () => {
  it('every 10 s per swarm, with figures that follow from what happened', () => {
    h = harness({ periodic: true, settings: settings({ optimizerEnabled: false }) });
    const s = h.engine.createSwarm({ name: 'S', topology: 'mesh', agents: 2 });
    for (let i = 0; i < 6; i++) h.engine.createTask(task({ estimatedDuration: 3_000 }));
    h.clock.advance(20_000);
    const reports = h.events.filter((e) => e.event === 'swarm:efficiency');
    expect(reports.map((e) => [e.at - T0, e.payload.swarmId])).toEqual([
      [10_000, s.id],
      [20_000, s.id],
    ]);
    const first = reports[0]!.payload;

    // Expected figures, derived independently from the recorded events of the first interval.
    const inFirst = (e: { at: number }) => e.at - T0 <= 10_000;
    const completed = h.events.filter((e) => e.event === 'task:completed' && inFirst(e)).length;
    const created = new Map(h.events.filter((e) => e.event === 'task:created').map((e) => [e.payload.id, e.at]));
    const starts = h.events.filter((e) => e.event === 'task:started' && inFirst(e));
    const latency = starts.reduce((sum, e) => sum + (e.at - (created.get(e.payload.id) as number)), 0) / starts.length;
    let busyMs = 0;
    const since = new Map<unknown, number>();
    for (const e of h.events.filter((x) => x.event === 'swarm:agent:status')) {
      if (e.payload.newStatus === 'busy') since.set(e.payload.agentId, e.at);
      else if (e.payload.oldStatus === 'busy') busyMs += Math.min(e.at, T0 + 10_000) - (since.get(e.payload.agentId) as number);
    }
    const assigned = h.events.filter((e) => e.event === 'swarm:task:assigned' && inFirst(e));
    const coordination = assigned.reduce((sum, e) => sum + (e.payload.coordinationMs as number), 0);
    const work = assigned.length * 3_000;

    expect(first.tasksPerMinute).toBeCloseTo(completed * 6, 5);
    expect(first.avgLatency).toBe(Math.round(latency));
    expect(first.avgUtilization).toBeCloseTo(busyMs / 20_000, 3);
    expect(first.avgCoordinationMs).toBe(Math.round(coordination / assigned.length));
    expect(first.efficiency).toBeCloseTo(work / (work + coordination), 3);
    expect(completed).toBe(6);
    expect(first.avgUtilization).toBeGreaterThan(0.85);
    // The second interval had nothing to do.
    expect(reports[1]!.payload).toMatchObject({ tasksPerMinute: 0, avgUtilization: 0, completed: 0 });
    expect(h.engine.coordinationEfficiency()).toBeCloseTo(first.efficiency as number, 3);
  });

  it('each swarm reports on the phase of its own creation, so reports spread over the interval; a deleted swarm stops', () => {
    h = harness({ periodic: true, settings: settings({ optimizerEnabled: false }) });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      ids.push(h.engine.createSwarm({ name: `S${i}`, topology: 'mesh', agents: 1 }).id);
      h.clock.advance(2_500);
    }
    h.engine.deleteSwarm(ids[3]!);
    h.clock.advance(20_000);
    const reports = h.events.filter((e) => e.event === 'swarm:efficiency').map((e) => [e.at - T0, e.payload.swarmId]);
    expect(reports).toEqual([
      [10_000, ids[0]],
      [12_500, ids[1]],
      [15_000, ids[2]],
      [20_000, ids[0]],
      [22_500, ids[1]],
      [25_000, ids[2]],
      [30_000, ids[0]],
    ]);
    expect(reports.every(([, id]) => id !== ids[3])).toBe(true);
  });

  it('a swarm restored at start keeps its phase, at least half an interval on', () => {
    const tmp = tempDir();
    try {
      const first = harness({ db: openAppDatabase(tmp.file), periodic: true, settings: settings({ optimizerEnabled: false }) });
      const s = first.engine.createSwarm({ name: 'S', topology: 'mesh', agents: 1 });
      first.engine.stop();
      first.db.close();
      // 12.3 s after its creation: the phase points are at 20 s and 30 s.
      h = harness({ db: openAppDatabase(tmp.file), start: T0 + 12_300, periodic: true, settings: settings({ optimizerEnabled: false }) });
      h.clock.advance(18_000);
      expect(h.events.filter((e) => e.event === 'swarm:efficiency').map((e) => [e.at - T0, e.payload.swarmId])).toEqual([
        [20_000, s.id],
        [30_000, s.id],
      ]);
      // 16 s after creation the next phase point (20 s) is only 4 s away: the first report waits for 30 s.
      expect(firstReportAt(T0, T0 + 16_000, 10_000)).toBe(T0 + 30_000);
      h.engine.stop();
      h.db.close();
    } finally {
      tmp.remove();
    }
  });

  it('stats() counts swarms, agents by status, queued/running tasks', () => {
    h = harness();
    h.engine.createSwarm({ name: 'S', topology: 'mesh', agents: 2 });
    h.engine.createSwarm({ name: 'T', topology: 'star', agents: 1 });
    for (let i = 0; i < 5; i++) h.engine.createTask(task());
    expect(h.engine.stats()).toEqual({
      active: 2,
      agents: 3,
      efficiency: expect.closeTo(0.99, 2),
      agentsByStatus: { idle: 0, busy: 3, offline: 0, failed: 0 },
      tasks: { queued: 2, running: 3, failedLastHour: 0 },
      workflows: { running: 0 },
    });
  });
});

describe('topology optimiser', () => {
  it('moves a large mesh to a star when the measured coordination cost says so, with the numbers in the reason', () => {
    h = harness({ periodic: true, settings: settings() });
    const s = h.engine.createSwarm({ name: 'Big', topology: 'mesh', agents: 50 });
    for (let i = 0; i < 600; i++) h.engine.createTask(task({ estimatedDuration: 10_000 }));
    h.clock.advance(5 * 60_000);
    const changes = h.of('swarm:topology:changed');
    expect(changes).toHaveLength(1);
    const change = changes[0]!;
    expect(change).toMatchObject({ swarmId: s.id, from: 'mesh', to: 'star' });
    expect(change.reason).toMatch(
      /^mesh coordination cost \d+ ms per assignment \(49\.0 messages\) over the last \d+ s: \d+ assignments at [\d.]+\/s with 50 agents; star is predicted at \d+ ms \(2 messages\), \d+% less$/,
    );
    expect(change.measuredCostMs as number).toBeGreaterThan(200);
    expect(change.predictedCostMs as number).toBeLessThan(100);
    expect(h.engine.getSwarm(s.id).topology).toBe('star');
    // Under the star, assignments really are cheaper.
    const changedAt = h.events.find((e) => e.event === 'swarm:topology:changed')!.at;
    const after = h.events.filter((e) => e.event === 'swarm:task:assigned' && e.at > changedAt).map((e) => e.payload.coordinationMs as number);
    expect(after.length).toBeGreaterThan(20);
    expect(after.reduce((a, b) => a + b, 0) / after.length).toBeLessThan(100);
  });

  it('leaves a small swarm alone, and does nothing when disabled', () => {
    h = harness({ periodic: true, settings: settings({ optimizerEnabled: false }) });
    h.engine.createSwarm({ name: 'Big', topology: 'mesh', agents: 50 });
    h.engine.createSwarm({ name: 'Small', topology: 'mesh', agents: 3 });
    for (let i = 0; i < 300; i++) h.engine.createTask(task({ estimatedDuration: 10_000 }));
    h.clock.advance(3 * 60_000);
    expect(h.of('swarm:topology:changed')).toEqual([]);
  });
});

describe('swarm:analyze', () => {
  it('finds a role whose queue keeps growing', () => {
    h = harness({ periodic: true, settings: settings({ optimizerEnabled: false }) });
    const s = h.engine.createSwarm({
      name: 'S',
      topology: 'star',
      agents: [
        { role: 'tester', count: 1 },
        { role: 'developer', count: 2 },
      ],
    });
    for (let minute = 0; minute < 12; minute++) {
      for (let i = 0; i < 2; i++) h.engine.createTask(task({ requirements: ['testing'], estimatedDuration: 20_000 }));
      h.engine.createTask(task({ requirements: ['coding'], estimatedDuration: 5_000 }));
      h.clock.advance(10_000);
    }
    const result = h.engine.analyzeSwarm({ swarmId: s.id, includeMetrics: true, timeWindow: 120_000 });
    const tester = result.bottlenecks.find((b) => b.type === 'role-queue-growing');
    expect(tester).toMatchObject({ role: 'tester', severity: expect.any(String) });
    expect(tester!.message).toMatch(/^tasks waiting for role 'tester' grew from \d+ to \d+ over the last 120 s while its 1 agent was 100% busy$/);
    expect(result.bottlenecks.some((b) => b.role === 'developer' && b.type === 'role-queue-growing')).toBe(false);
    expect(result.metrics).toMatchObject({ windowMs: 120_000, coveredMs: 120_000, samples: 12, agents: 3, roles: { tester: { agents: 1, busy: 1 } } });
    expect(result.efficiency).toBeGreaterThan(0);
    expect(result.efficiency).toBeLessThanOrEqual(1);
  });

  it('finds a role that is fully busy with a backlog', () => {
    h = harness();
    const s = h.engine.createSwarm({
      name: 'S',
      topology: 'star',
      agents: [
        { role: 'tester', count: 1 },
        { role: 'writer', count: 1 },
      ],
    });
    for (let i = 0; i < 6; i++) h.engine.createTask(task({ requirements: ['qa'] }));
    expect(h.engine.analyzeSwarm({ swarmId: s.id }).bottlenecks).toEqual([
      {
        type: 'role-saturated',
        severity: 'warning',
        role: 'tester',
        message: "every working 'tester' agent is busy (1 of 1) with 5 tasks waiting for them, 5.0 per agent",
        figures: { waiting: 5, agents: 1, busy: 1, perAgent: 5 },
      },
    ]);
  });

  it('finds an agent that keeps failing', () => {
    h = harness({ periodic: true, settings: settings({ failureRate: 0.9, optimizerEnabled: false }), recoveryMs: 5_000 });
    const s = h.engine.createSwarm({ name: 'Flaky', topology: 'mesh', agents: 1 });
    h.clock.advance(5 * 60_000);
    const failures = h.of('swarm:agent:status').filter((e) => e.newStatus === 'failed' || e.newStatus === 'offline').length;
    const result = h.engine.analyzeSwarm({ swarmId: s.id, timeWindow: 300_000, includeMetrics: true });
    expect(result.bottlenecks).toContainEqual(expect.objectContaining({ type: 'failing-agent', agentId: s.agents[0]?.id, figures: expect.objectContaining({ failures }) }));
    expect(result.metrics).toMatchObject({ agentFailures: failures });
  });

  it('reports tasks bound to a swarm that no agent there can take', () => {
    h = harness();
    const s = h.engine.createSwarm({ name: 'Dev', topology: 'mesh', agents: [{ role: 'developer', count: 1 }] });
    h.engine.createTask(task({ swarmId: s.id, requirements: ['security-expertise'] }));
    h.engine.createTask(task({ swarmId: s.id, requirements: ['security-expertise'] }));
    expect(h.engine.analyzeSwarm({ swarmId: s.id }).bottlenecks).toEqual([
      expect.objectContaining({ type: 'missing-skills', message: '2 tasks for this swarm need skills no agent here has: security-expertise' }),
    ]);
  });
});
