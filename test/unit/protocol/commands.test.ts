import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../shared/protocol/command-table';
import { subscribeSchema, swarmCreateSchema, ttlSchema, workflowCreateSchema } from '../../../shared/protocol/commands';

const issues = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) => (r.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('command schemas', () => {
  it('accepts the documented examples', () => {
    expect(swarmCreateSchema.safeParse({ name: 'Test Swarm', topology: 'mesh', agents: 3 }).success).toBe(true);
    expect(
      swarmCreateSchema.safeParse({
        name: 'Development Team',
        topology: 'hierarchical',
        agents: [
          { role: 'lead', count: 1 },
          { role: 'developer', count: 4 },
        ],
      }).success,
    ).toBe(true);
    expect(
      COMMANDS['task:create'].schema.parse({ title: 'Implement auth', priority: 'high', assignee: 'auto', requirements: ['security-expertise'], estimatedDuration: 7_200_000 }),
    ).toMatchObject({ priority: 'high' });
    expect(COMMANDS['system:recommendations:get'].schema.safeParse({ focus: ['performance'], severity: 'medium-and-above' }).success).toBe(true);
    expect(COMMANDS['system:status:get'].schema.safeParse(undefined).success).toBe(true);
  });

  it('refuses unknown fields (strict) so typos are not silently ignored', () => {
    expect(issues(swarmCreateSchema.safeParse({ name: 'x', topology: 'mesh', agents: 1, agnets: 2 }))).toEqual([expect.stringMatching(/agnets|Unrecognized/)]);
  });

  it('workflow: duplicate ids, unknown dependencies and cycles are refused with paths', () => {
    const dup = workflowCreateSchema.safeParse({
      name: 'w',
      steps: [
        { id: 'a', title: 'A' },
        { id: 'a', title: 'B' },
      ],
    });
    expect(issues(dup)).toEqual(["steps.1.id: duplicate step id 'a'"]);
    const unknown = workflowCreateSchema.safeParse({ name: 'w', steps: [{ id: 'a', title: 'A', dependsOn: ['zz'] }] });
    expect(issues(unknown)).toEqual(["steps.0.dependsOn.0: unknown step 'zz'"]);
    const cycle = workflowCreateSchema.safeParse({
      name: 'w',
      steps: [
        { id: 'a', title: 'A', dependsOn: ['c'] },
        { id: 'b', title: 'B', dependsOn: ['a'] },
        { id: 'c', title: 'C', dependsOn: ['b'] },
      ],
    });
    expect(issues(cycle)).toEqual([expect.stringMatching(/dependency cycle: a → c → b → a/)]);
    const self = workflowCreateSchema.safeParse({ name: 'w', steps: [{ id: 'a', title: 'A', dependsOn: ['a'] }] });
    expect(issues(self)[0]).toMatch(/cycle: a → a/);
    const diamond = workflowCreateSchema.safeParse({
      name: 'w',
      steps: [
        { id: 'a', title: 'A' },
        { id: 'b', title: 'B', dependsOn: ['a'] },
        { id: 'c', title: 'C', dependsOn: ['a'] },
        { id: 'd', title: 'D', dependsOn: ['b', 'c'] },
      ],
    });
    expect(diamond.success).toBe(true);
  });

  it('ttl takes seconds or durations, at least 1 s', () => {
    expect(ttlSchema.parse('30s')).toBe(30);
    expect(ttlSchema.parse('15m')).toBe(900);
    expect(ttlSchema.parse('1h')).toBe(3600);
    expect(ttlSchema.parse('7d')).toBe(604_800);
    expect(ttlSchema.parse(5)).toBe(5);
    for (const bad of ['0s', '1w', '-1h', 0, 1.5, '']) expect(ttlSchema.safeParse(bad).success).toBe(false);
  });

  it('subscribe accepts every documented form', () => {
    for (const ok of ['system', ['system', 'swarms'], { channels: ['tasks'] }, { categories: ['system'], filters: { system: { severity: ['warning'] } } }]) {
      expect(subscribeSchema.safeParse(ok).success).toBe(true);
    }
    for (const bad of ['weather', [], { channels: [] }, { categories: ['x'] }, 42, null]) expect(subscribeSchema.safeParse(bad).success).toBe(false);
  });

  it('every command names a scope that exists, or none', () => {
    const scopes = ['read', 'write', 'admin'].flatMap((l) => ['system', 'swarms', 'tasks', 'neural', 'api'].map((ch) => `${l}:${ch}`));
    for (const c of Object.values(COMMANDS)) if (c.scope !== null) expect(scopes).toContain(c.scope);
  });
});
