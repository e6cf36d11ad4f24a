import { describe, expect, it } from 'vitest';
import { channelOf, fullEventName, severityOf } from '../../../shared/protocol/channels';
import { FILTER_SCHEMAS, matchesExclusion, passesSubscription, type Filter } from '../../../shared/protocol/filters';

const sub = (filter: Filter, exclude: Filter[] = []) => ({ filter, exclude });

describe('channels and severity', () => {
  it('maps events to channels; per-socket events have none', () => {
    expect(channelOf('system:status')).toBe('system');
    expect(channelOf('swarm:task:completed')).toBe('swarms');
    expect(channelOf('workflow:started')).toBe('tasks');
    expect(channelOf('task:progress')).toBe('tasks');
    for (const e of ['auth:error', 'performance:metrics', 'batch', 'ping', 'pong']) expect(channelOf(e)).toBeNull();
  });

  it('resolves names relative to a channel', () => {
    expect(fullEventName('swarms', 'task:completed')).toBe('swarm:task:completed');
    expect(fullEventName('swarms', 'agent:failed')).toBe('swarm:agent:failed');
    expect(fullEventName('swarms', 'swarm:created')).toBe('swarm:created');
    expect(fullEventName('tasks', 'task:completed')).toBe('task:completed');
    expect(fullEventName('tasks', 'workflow:started')).toBe('workflow:started');
    expect(fullEventName('system', 'alert')).toBe('system:alert');
  });

  it('an event without a valid severity field is info', () => {
    expect(severityOf({ severity: 'critical' })).toBe('critical');
    expect(severityOf({ severity: 'loud' })).toBe('info');
    expect(severityOf({})).toBe('info');
    expect(severityOf(null)).toBe('info');
  });

  it('a failure event is at least a warning, even without its own severity field', () => {
    for (const e of ['task:failed', 'task:interrupted', 'workflow:failed', 'neural:training:failed']) expect(severityOf({}, e)).toBe('warning');
    expect(severityOf({ severity: 'critical' }, 'task:failed')).toBe('critical');
    expect(severityOf({}, 'task:completed')).toBe('info');
  });
});

describe('filter matching', () => {
  it('keeps only important events with a warning-and-above severity filter', () => {
    const s = sub(FILTER_SCHEMAS.system.parse({ severity: ['warning', 'critical'] }));
    expect(passesSubscription('system', s, 'system:alert', { severity: 'critical' })).toBe(true);
    expect(passesSubscription('system', s, 'system:status', {})).toBe(false);
    const t = sub(FILTER_SCHEMAS.tasks.parse({ severity: ['warning', 'critical'] }));
    expect(passesSubscription('tasks', t, 'task:failed', { id: 'a', reason: 'x' })).toBe(true);
    expect(passesSubscription('tasks', t, 'workflow:failed', { id: 'w', reason: 'x', severity: 'warning' })).toBe(true);
    expect(passesSubscription('tasks', t, 'task:completed', { id: 'a' })).toBe(false);
  });

  it('a field constrains only events that carry what it tests', () => {
    const s = sub(FILTER_SCHEMAS.system.parse({ components: ['cpu'] }));
    expect(passesSubscription('system', s, 'system:alert', { component: 'cpu' })).toBe(true);
    expect(passesSubscription('system', s, 'system:alert', { component: 'disk' })).toBe(false);
    expect(passesSubscription('system', s, 'system:status', {})).toBe(true);
  });

  it('fields combine with AND; list values with OR', () => {
    const s = sub(FILTER_SCHEMAS.tasks.parse({ priority: ['high', 'urgent'], taskIds: ['a', 'b'] }));
    expect(passesSubscription('tasks', s, 'task:created', { id: 'a', priority: 'urgent' })).toBe(true);
    expect(passesSubscription('tasks', s, 'task:created', { id: 'c', priority: 'urgent' })).toBe(false);
    expect(passesSubscription('tasks', s, 'task:created', { id: 'a', priority: 'low' })).toBe(false);
  });

  it('never passes an event of another channel', () => {
    expect(passesSubscription('system', sub({}), 'swarm:created', {})).toBe(false);
  });

  it('trainingOnly and minConfidence on neural', () => {
    const s = sub(FILTER_SCHEMAS.neural.parse({ trainingOnly: true, minConfidence: 0.8 }));
    expect(passesSubscription('neural', s, 'neural:training:progress', {})).toBe(true);
    expect(passesSubscription('neural', s, 'neural:inference:metrics', {})).toBe(false);
    expect(passesSubscription('neural', s, 'neural:training:progress', { confidence: 0.5 })).toBe(false);
    expect(passesSubscription('neural', sub(FILTER_SCHEMAS.neural.parse({ trainingOnly: false })), 'neural:inference:metrics', {})).toBe(true);
  });

  it('an exclusion drops only events its every field matches', () => {
    const info = FILTER_SCHEMAS.system.parse({ severity: 'info' });
    expect(matchesExclusion('system', info, 'system:metrics', {})).toBe(true);
    expect(matchesExclusion('system', info, 'system:alert', { severity: 'warning' })).toBe(false);
    const cpuInfo = FILTER_SCHEMAS.system.parse({ severity: 'info', components: 'cpu' });
    expect(matchesExclusion('system', cpuInfo, 'system:metrics', {})).toBe(false);
    expect(matchesExclusion('system', {}, 'system:metrics', {})).toBe(false);
    expect(passesSubscription('system', sub({}, [info]), 'system:metrics', {})).toBe(false);
  });

  it('schemas refuse unknown fields and wrong types', () => {
    expect(FILTER_SCHEMAS.swarms.safeParse({ colour: 'red' }).success).toBe(false);
    expect(FILTER_SCHEMAS.system.safeParse({ components: ['gpu'] }).success).toBe(false);
    expect(FILTER_SCHEMAS.neural.safeParse({ minConfidence: 2 }).success).toBe(false);
    expect(FILTER_SCHEMAS.system.safeParse({ severity: [] }).success).toBe(false);
  });
});
