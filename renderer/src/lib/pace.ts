import { createPacer } from './pacer';

/** Four beats a second: live text stays readable and charts move smoothly enough to follow. */
export const BEAT_MS = 250;

export const pace = createPacer(BEAT_MS, {
  now: () => performance.now(),
  setTimer: (fn, ms) => void setTimeout(fn, ms),
  frame: (fn) => void requestAnimationFrame(fn),
});
