import type { Scenario } from '../scenario';
import { startOurs } from './ours';
import { oursPlain } from './c1-ours-plain';

/**
 * The outbound bound a slow consumer is cut off at, lowered from the default 8 MB so a few seconds
 * at these rates reach it (the kernel's socket buffers take the first few hundred KB).
 */
export const SLOW_CONSUMER_BOUND = 256 * 1024;

/** C1 with every tenth subscriber never reading once the run starts: they are cut off, and the others should not notice. */
export const oursSlowConsumers: Scenario = {
  ...oursPlain,
  name: 'C1s',
  about: 'C1 with every tenth subscriber not reading (cut off at a 256 KB outbound bound)',
  slow: (index) => index % 10 === 9,
  start: () => startOurs({ maxOutboundBufferBytes: SLOW_CONSUMER_BOUND }),
};
