import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigEngine } from '../../../electron/engines/config/config-engine';
import { CONFIG_COMPONENTS, defaultsOf } from '../../../electron/engines/config/schemas';
import { systemHandlers } from '../../../electron/server/handlers/system';
import type { CommandContext } from '../../../electron/server/handlers/types';
import { ProtocolError } from '../../../shared/protocol/errors';
import { openAppDatabase } from '../../../electron/engines/migrations';
import { testContext } from './helpers';

function refusal(fn: () => unknown): ProtocolError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ProtocolError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

const loadBalancerUpdate = { component: 'load-balancer', settings: { algorithm: 'ml-predictive', healthCheckInterval: 5000, autoScaling: true } };

describe('config engine', () => {
  it('accepts a load-balancer update and announces it', () => {
    const { ctx, clock, of } = testContext();
    const config = new ConfigEngine(ctx);
    clock.advance(1000);
    const result = config.update(loadBalancerUpdate, 'alice');
    expect(result).toMatchObject({ component: 'load-balancer', version: 2, config: { algorithm: 'ml-predictive', healthCheckInterval: 5000, autoScaling: true } });
    expect(config.get('load-balancer').algorithm).toBe('ml-predictive');
    expect(of('system:config:updated')).toEqual([
      expect.objectContaining({
        component: 'load-balancer',
        version: 2,
        actor: 'alice',
        changes: [
          { path: 'algorithm', before: 'round-robin', after: 'ml-predictive' },
          { path: 'healthCheckInterval', before: 10_000, after: 5000 },
          { path: 'autoScaling', before: false, after: true },
        ],
      }),
    ]);
  });

  it('refuses an unknown component, naming the allowed ones', () => {
    const { ctx } = testContext();
    const err = refusal(() => new ConfigEngine(ctx).update({ component: 'flux-capacitor', settings: {} }, 'alice'));
    expect(err.code).toBe('invalid_argument');
    expect(err.details).toEqual([{ path: 'component', message: expect.stringContaining(CONFIG_COMPONENTS.join(', ')) }]);
    expect(refusal(() => new ConfigEngine(ctx).history('__proto__')).code).toBe('invalid_argument');
  });

  it('refuses unknown settings, wrong types, out-of-range and inconsistent values with field paths', () => {
    const { ctx, of } = testContext();
    const config = new ConfigEngine(ctx);
    const unknown = refusal(() => config.update({ component: 'load-balancer', settings: { algorithm: 'round-robin', turbo: true } }, 'a'));
    expect(unknown.code).toBe('invalid_argument');
    expect(unknown.details).toEqual([{ path: 'settings.turbo', message: expect.stringContaining('healthCheckInterval') }]);

    const wrongType = refusal(() => config.update({ component: 'load-balancer', settings: { healthCheckInterval: '5s', autoScaling: 'yes' } }, 'a'));
    expect((wrongType.details as { path: string }[]).map((d) => d.path).sort()).toEqual(['settings.autoScaling', 'settings.healthCheckInterval']);

    const badEnum = refusal(() => config.update({ component: 'load-balancer', settings: { algorithm: 'random' } }, 'a'));
    expect(badEnum.details).toEqual([{ path: 'settings.algorithm', message: expect.any(String) }]);

    const range = refusal(() => config.update({ component: 'system', settings: { sampleIntervalMs: 10 } }, 'a'));
    expect(range.details).toEqual([{ path: 'settings.sampleIntervalMs', message: expect.any(String) }]);

    const order = refusal(() => config.update({ component: 'system', settings: { cpuWarning: 96 } }, 'a'));
    expect(order.details).toEqual([{ path: 'settings.cpuWarning', message: expect.stringContaining('below cpuCritical') }]);

    // Nothing of any refused update was applied or announced.
    expect(config.get('load-balancer')).toEqual(defaultsOf('load-balancer'));
    expect(config.get('system')).toEqual(defaultsOf('system'));
    expect(config.version('system')).toBe(1);
    expect(of('system:config:updated')).toEqual([]);
  });

  it('dry-runs: returns the diff and the would-be config, changes nothing', () => {
    const { ctx, of } = testContext();
    const config = new ConfigEngine(ctx);
    const seen: unknown[] = [];
    config.subscribe('load-balancer', (c) => seen.push(c));
    const result = config.update({ ...loadBalancerUpdate, dryRun: true }, 'alice');
    expect(result).toMatchObject({
      component: 'load-balancer',
      dryRun: true,
      version: 1,
      diff: [
        { path: 'algorithm', before: 'round-robin', after: 'ml-predictive' },
        { path: 'healthCheckInterval', before: 10_000, after: 5000 },
        { path: 'autoScaling', before: false, after: true },
      ],
      config: { algorithm: 'ml-predictive', healthCheckInterval: 5000, autoScaling: true },
    });
    expect(config.get('load-balancer')).toEqual(defaultsOf('load-balancer'));
    expect(config.history('load-balancer').entries).toHaveLength(1);
    expect(of('system:config:updated')).toEqual([]);
    expect(seen).toEqual([]);
    // A dry run still validates.
    expect(refusal(() => config.update({ component: 'api', settings: { nope: 1 }, dryRun: true }, 'a')).code).toBe('invalid_argument');
  });

  it('keeps an audit trail (who, when, before, after, version), newest first, and rolls back as a new version', () => {
    const { ctx, clock } = testContext();
    const config = new ConfigEngine(ctx);
    const t1 = clock.now();
    clock.advance(60_000);
    config.update({ component: 'api', settings: { slowRequestThresholdMs: 1500 } }, 'alice');
    clock.advance(60_000);
    config.update({ component: 'api', settings: { slowRequestThresholdMs: 2000, rateLimitPerMinute: 100 } }, 'bob');
    const same = config.update({ component: 'api', settings: { slowRequestThresholdMs: 2000 } }, 'bob');
    expect(same).toMatchObject({ version: 3, unchanged: true });

    const { entries } = config.history('api');
    expect(entries.map((e) => [e.version, e.actor, e.action])).toEqual([
      [3, 'bob', 'update'],
      [2, 'alice', 'update'],
      [1, 'system', 'defaults'],
    ]);
    expect(entries[0]).toMatchObject({
      at: t1 + 120_000,
      before: { slowRequestThresholdMs: 1500, rateLimitPerMinute: 1200 },
      after: { slowRequestThresholdMs: 2000, rateLimitPerMinute: 100 },
      diff: [
        { path: 'slowRequestThresholdMs', before: 1500, after: 2000 },
        { path: 'rateLimitPerMinute', before: 1200, after: 100 },
      ],
    });
    expect(entries[2]).toMatchObject({ at: t1, before: null, after: defaultsOf('api') });

    const seen: unknown[] = [];
    config.subscribe('api', (c) => seen.push(c));
    const rolled = config.rollback('api', 2, 'carol');
    expect(rolled).toMatchObject({ component: 'api', version: 4, rolledBackTo: 2, config: { slowRequestThresholdMs: 1500, rateLimitPerMinute: 1200 } });
    expect(config.get('api').slowRequestThresholdMs).toBe(1500);
    expect(seen).toEqual([{ slowRequestThresholdMs: 1500, rateLimitPerMinute: 1200 }]);
    expect(config.history('api').entries[0]).toMatchObject({ version: 4, actor: 'carol', action: 'rollback', rolledBackTo: 2 });
    // Back to the defaults: version 1.
    expect(config.rollback('api', 1, 'carol').config).toEqual(defaultsOf('api'));

    const missing = refusal(() => config.rollback('api', 99, 'carol'));
    expect(missing.code).toBe('not_found');
  });

  it('survives closing and reopening the database file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zenflow-config-'));
    try {
      const file = join(dir, 'zenflow.db');
      const first = testContext(openAppDatabase(file));
      new ConfigEngine(first.ctx).update(loadBalancerUpdate, 'alice');
      first.ctx.db.close();

      const second = testContext(openAppDatabase(file));
      const config = new ConfigEngine(second.ctx);
      expect(config.get('load-balancer')).toEqual({ algorithm: 'ml-predictive', healthCheckInterval: 5000, autoScaling: true });
      expect(config.version('load-balancer')).toBe(2);
      expect(config.history('load-balancer').entries.map((e) => e.actor)).toEqual(['alice', 'system']);
      second.ctx.db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('re-reads stored settings through the current schema', () => {
    const { ctx } = testContext();
    ctx.db
      .prepare('INSERT INTO config_versions (component, version, config, created_at) VALUES (?, ?, ?, ?)')
      .run('neural', 1, JSON.stringify({ maxConcurrentRuns: 4, retiredSetting: true }), 0);
    const config = new ConfigEngine(ctx);
    expect(config.get('neural')).toEqual({ ...defaultsOf('neural'), maxConcurrentRuns: 4 });
  });
});

describe('system command handlers', () => {
  const caller: CommandContext = { userId: 'alice', tokenId: 'jti-1', principal: 'token:jti-1', scopes: new Set(), transport: 'socket' };

  it('routes config commands with the caller as the actor', async () => {
    const { ctx } = testContext();
    const config = new ConfigEngine(ctx);
    const handlers = systemHandlers({
      config,
      system: { getStatus: () => Promise.reject(new Error('unused')), recommendations: () => Promise.reject(new Error('unused')) },
      optimizer: { optimize: () => Promise.reject(new Error('unused')) },
    });
    await handlers['config:update']!(loadBalancerUpdate, caller);
    const history = (await handlers['config:history']!({ component: 'load-balancer' }, caller)) as ReturnType<ConfigEngine['history']>;
    expect(history.entries[0]).toMatchObject({ actor: 'alice', version: 2 });
    const rolled = await handlers['config:rollback']!({ component: 'load-balancer', version: 1 }, { ...caller, userId: 'bob' });
    expect(rolled).toMatchObject({ version: 3, config: defaultsOf('load-balancer') });
    expect(config.history('load-balancer').entries[0]!.actor).toBe('bob');
  });
});
