import type { Scenario } from '../scenario';
import { startOurs } from './ours';

export const oursPlain: Scenario = {
  name: 'C1',
  about: 'ours, every client subscribed to `swarms` with no filter',
  wire: 'socket.io',
  setup: () => [['subscribe', { channels: ['swarms'] }]],
  expects: () => true,
  start: startOurs,
};
