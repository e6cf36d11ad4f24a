import type { Scenario } from '../scenario';
import { bareSocketIo, bareSocketIoBusy, bareSocketIoBusySynced } from './a-bare-socketio';
import { rawWs } from './b-raw-ws';
import { oursPlain } from './c1-ours-plain';
import { oursFiltered } from './c2-ours-filtered';
import { oursSlowConsumers } from './c1s-ours-slow-consumers';
import { oursCluster } from './d-ours-cluster';

/** Every scenario by name. */
export const SCENARIOS: Record<string, Scenario> = Object.fromEntries(
  [bareSocketIo, bareSocketIoBusy, bareSocketIoBusySynced, rawWs, oursPlain, oursSlowConsumers, oursFiltered, oursCluster].map((s) => [s.name, s]),
);
