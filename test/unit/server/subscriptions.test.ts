import { describe, expect, it } from 'vitest';
import { passesSubscription } from '../../../shared/protocol/filters';
import { parseFilter, subscribeExclusions, subscribeTargets, subscriptionState, type Subscriptions } from '../../../electron/server/delivery/subscriptions';
import { COMMANDS } from '../../../shared/protocol/command-table';

const spec = (raw: unknown) => COMMANDS.subscribe.schema.parse(raw);

describe('subscriptions', () => {
  it('reads every subscribe form as channel → filter', () => {
    expect([...subscribeTargets(spec('system')).keys()]).toEqual(['system']);
    expect([...subscribeTargets(spec(['system', 'swarms'])).keys()]).toEqual(['system', 'swarms']);
    expect([...subscribeTargets(spec({ channels: ['tasks'] })).keys()]).toEqual(['tasks']);
    const filtered = subscribeTargets(spec({ categories: ['swarms'], filters: { swarms: { swarmIds: 'swarm-1' } } }));
    expect(filtered.get('swarms')).toEqual({ swarmIds: ['swarm-1'] });
  });

  it('refuses an unknown filter field naming the allowed ones, and a filter for a channel not subscribed', () => {
    expect(() => parseFilter('swarms', { taskIds: ['t'] }, ['filter'])).toThrow(/unknown filter field 'taskIds' for channel swarms; allowed: .*swarmIds/);
    expect(() => subscribeTargets(spec({ categories: ['system'], filters: { swarms: {} } }))).toThrow(/filters given for channels not in categories: swarms/);
    expect(() => subscribeExclusions(spec({ categories: ['system'], exclude: { swarms: [{}] } }))).toThrow(/exclusions given for a channel not in categories: swarms/);
  });

  it('filters events: relative event names, severity and exclusions', () => {
    const subs: Subscriptions = new Map([
      ['swarms', { filter: parseFilter('swarms', { events: 'task:completed' }, []), exclude: [] }],
      ['tasks', { filter: {}, exclude: [parseFilter('tasks', { severity: 'info' }, [])] }],
    ]);
    const swarms = subs.get('swarms')!;
    const tasks = subs.get('tasks')!;
    expect(passesSubscription('swarms', swarms, 'swarm:task:completed', { swarmId: 's' })).toBe(true);
    expect(passesSubscription('swarms', swarms, 'swarm:task:assigned', { swarmId: 's' })).toBe(false);
    expect(passesSubscription('tasks', tasks, 'task:failed', { id: 't' })).toBe(true);
    expect(passesSubscription('tasks', tasks, 'task:created', { id: 't' })).toBe(false);
    expect(subscriptionState(subs)).toEqual({
      subscriptions: { swarms: { filter: { events: ['task:completed'] }, exclude: [] }, tasks: { filter: {}, exclude: [{ severity: ['info'] }] } },
    });
  });
});
