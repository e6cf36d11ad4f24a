import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { defineRoute, type RouteDef } from './route';

/** Prometheus text at /metrics (read:system), with process defaults and the delivery counters. */
export function createMetrics(sources: { sockets: () => number; delivered: () => number }) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'zenflow_' });
  new Gauge({ name: 'zenflow_connected_sockets', help: 'Connected Socket.IO clients', registers: [registry], collect() { this.set(sources.sockets()); } });
  new Gauge({
    name: 'zenflow_events_delivered',
    help: 'Channel events handed to sockets since start',
    registers: [registry],
    collect() {
      this.set(sources.delivered());
    },
  });
  const requests = new Counter({ name: 'zenflow_requests_total', help: 'REST requests and socket commands', labelNames: ['endpoint', 'status'], registers: [registry] });
  const slowConsumers = new Counter({
    name: 'zenflow_slow_consumer_disconnects_total',
    help: 'Sockets dropped because their unsent frames passed the outbound buffer limit',
    registers: [registry],
  });
  const route: RouteDef = defineRoute('GET /metrics', {
    summary: 'Prometheus metrics',
    access: 'read:system',
    handler: async (_i, _ctx, _req, reply) => {
      void reply.type(registry.contentType);
      return registry.metrics();
    },
  });
  return { registry, requests, slowConsumers, route };
}
