import type { Scenario } from '../scenario';
import { startOurs } from './ours';

const BATCH = { enabled: true, batchSize: 20, batchTimeout: 100, categories: ['swarms'] };

/**
 * Ours as dashboards use it: filters on event names and severity (half the clients also drop one
 * topology's swarms by excluding nothing they would see — the filter shapes differ), and every
 * client batching up to 20 events or 100 ms.
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
