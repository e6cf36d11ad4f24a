import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { ClusterStatus } from '../../../shared/protocol/rest';
import { defineRoute, type RouteDef } from './route';

/** Prometheus text at /metrics (read:system), with process defaults and the delivery counters. */
export function createMetrics(sources: { sockets: () => number; delivered: () => number; cluster?: () => ClusterStatus }) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'zenflow_' });
  new Gauge({
    name: 'zenflow_connected_sockets',
    help: 'Connected Socket.IO clients',
    registers: [registry],
    collect() {
      this.set(sources.sockets());
    },
  });
  new Gauge({
    name: 'zenflow_events_delivered',
    help: 'Channel events handed to sockets since start',
    registers: [registry],
    collect() {
      this.set(sources.delivered());
    },
  });
  if (sources.cluster) clusterMetrics(registry, sources.cluster);
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

/** Per-node cluster gauges (docs/protocol.md §12): which role this node plays and how far it trails the stream. */
function clusterMetrics(registry: Registry, status: () => ClusterStatus): void {
  new Gauge({
    name: 'zenflow_cluster_node_info',
    help: 'Always 1; the labels name this cluster node and its role (core or edge)',
    labelNames: ['role', 'node'],
    registers: [registry],
    collect() {
      const s = status();
      this.reset();
      this.set({ role: s.role, node: s.node }, 1);
    },
  });
  new Gauge({
    name: 'zenflow_cluster_stream_lag_events',
    help: 'Core: logged events not yet copied to the Redis stream. Edge: stream entries not yet delivered by this node',
    registers: [registry],
    collect() {
      this.set(status().lag);
    },
  });
  new Gauge({
    name: 'zenflow_cluster_redis_up',
    help: '1 while this node is connected to Redis',
    registers: [registry],
    collect() {
      this.set(status().redis === 'up' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'zenflow_cluster_core_up',
    help: 'Edge: 1 while a core listens for forwarded commands (always 1 on the core)',
    registers: [registry],
    collect() {
      this.set(status().core === 'down' ? 0 : 1);
    },
  });
}
