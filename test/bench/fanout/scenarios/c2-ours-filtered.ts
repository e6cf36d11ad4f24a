import type { Scenario } from '../scenario';
import { startOurs } from './ours';

const BATCH = { enabled: true, batchSize: 20, batchTimeout: 100, categories: ['swarms'] };

/**
 * Ours as dashboards use it: half the clients filter on event names, half on severity (two
 * subscription shapes, both passing every `swarm:created`, so loss stays measurable), and every
 * client batches up to 20 events or 100 ms.
 */
export const oursFiltered: Scenario = {
  name: 'C2',
  about: 'ours, filtered subscriptions (2 shapes) and batches of ≤ 20 events / ≤ 100 ms',
  wire: 'socket.io',
  setup: (i) => [
    [
      'subscribe',
      i % 2 === 0
        ? { categories: ['swarms'], filters: { swarms: { events: ['swarm:created', 'swarm:deleted'] } } }
        : { categories: ['swarms'], filters: { swarms: { severity: ['info', 'warning', 'critical'] } } },
    ],
    ['configure:batching', BATCH],
  ],
  expects: () => true,
  start: startOurs,
};
