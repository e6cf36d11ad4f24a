import type { Scenario } from '../scenario';
import { bareSocketIo } from './a-bare-socketio';
import { rawWs } from './b-raw-ws';
import { oursPlain } from './c1-ours-plain';
import { oursFiltered } from './c2-ours-filtered';

/** Every scenario by name; the cluster scenario (D) is added here. */
export const SCENARIOS: Record<string, Scenario> = Object.fromEntries([bareSocketIo, rawWs, oursPlain, oursFiltered].map((s) => [s.name, s]));
