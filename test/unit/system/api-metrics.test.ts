import { describe, expect, it } from 'vitest';
import { ApiMetricsEngine } from '../../../electron/engines/api/api-engine';
import { ConfigEngine } from '../../../electron/engines/config/config-engine';
import { testContext } from './helpers';

describe('api metrics engine', () => {
  it('measures rps, latency, p95 and error rate over the window', () => {
    const { ctx, clock } = testContext();
    const api = new ApiMetricsEngine(ctx, { windowMs: 10_000 });
    api.start();
    clock.advance(10_000);
    // 100 requests over the last 10 s: durations 1..100 ms, every tenth a 500, every 20th a 404.
    for (let i = 1; i <= 100; i++) {
      clock.advance(100);
      const status = i % 10 === 0 ? 500 : i % 20 === 5 ? 404 : 200;
      api.recordRequest({ endpoint: '/api/swarms/:id', method: 'GET', status, durationMs: i });
    }
    api.setConnections(7);
    const m = api.snapshot();
    expect(m).toMatchObject({
      requests: 100,
      rps: 10,
      avgResponseTime: 50.5,
      p95ResponseTime: 95,
      errorRate: 0.15,
      serverErrorRate: 0.1,
      concurrentConnections: 7,
      slowRequests: 0,
      windowMs: 10_000,
    });
    // Ten seconds later those requests have left the window.
    clock.advance(11_000);
    expect(api.snapshot()).toMatchObject({ requests: 0, rps: 0, avgResponseTime: 0, p95ResponseTime: 0, errorRate: 0 });
    api.stop();
  });

  it('divides by the time it has run while that is shorter than the window', () => {
    const { ctx, clock } = testContext();
    const api = new ApiMetricsEngine(ctx, { windowMs: 60_000 });
    api.start();
    for (let i = 0; i < 20; i++) api.recordRequest({ endpoint: 'swarm:create', method: 'SOCKET', status: 200, durationMs: 3 });
    clock.advance(4000);
    expect(api.snapshot().rps).toBe(5);
  });

  it('publishes api:metrics every 5 s', () => {
    const { ctx, clock, of } = testContext();
    const api = new ApiMetricsEngine(ctx);
    api.start();
    api.recordRequest({ endpoint: '/api/health', method: 'GET', status: 200, durationMs: 2 });
    clock.advance(30_000);
    const metrics = of('api:metrics');
    expect(metrics).toHaveLength(6);
    expect(metrics[0]).toMatchObject({ requests: 1, rps: 0.2, avgResponseTime: 2, concurrentConnections: 0 });
    api.stop();
    clock.advance(30_000);
    expect(of('api:metrics')).toHaveLength(6);
  });

  it('flags requests over the configured threshold and follows threshold changes', () => {
    const { ctx, of } = testContext();
    const config = new ConfigEngine(ctx);
    const api = new ApiMetricsEngine(ctx, { settings: config.source('api') });
    api.start();
    api.recordRequest({ endpoint: '/api/tasks', method: 'POST', status: 201, durationMs: 1000 });
    api.recordRequest({ endpoint: '/api/tasks', method: 'POST', status: 201, durationMs: 1500 });
    expect(of('api:slow:request')).toEqual([expect.objectContaining({ endpoint: '/api/tasks', method: 'POST', duration: 1500, threshold: 1000, severity: 'warning' })]);
    config.update({ component: 'api', settings: { slowRequestThresholdMs: 200 } }, 'admin');
    api.recordRequest({ endpoint: 'task:create', method: 'SOCKET', status: 200, durationMs: 250 });
    expect(of('api:slow:request').at(-1)).toMatchObject({ endpoint: 'task:create', duration: 250, threshold: 200 });
    expect(api.snapshot().slowRequests).toBe(2);
  });

  it('bounds slow-request events per second and reports how many it held back', () => {
    const { ctx, clock, of } = testContext();
    const api = new ApiMetricsEngine(ctx);
    api.start();
    for (let i = 0; i < 25; i++) api.recordRequest({ endpoint: '/api/x', method: 'GET', status: 200, durationMs: 2000 });
    expect(of('api:slow:request')).toHaveLength(10);
    clock.advance(1000);
    api.recordRequest({ endpoint: '/api/x', method: 'GET', status: 200, durationMs: 2000 });
    expect(of('api:slow:request').at(-1)).toMatchObject({ suppressed: 15 });
    expect(api.snapshot().slowRequests).toBe(26);
  });
});
