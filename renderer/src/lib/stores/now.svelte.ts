import { pace } from '../pace';

/** One shared wall clock, ticking once a second on the page's beat, for relative times and stale indicators. */
class Now {
  value = $state(Date.now());
  #stopped = false;

  constructor() {
    this.#tick();
  }

  #tick = (): void => {
    if (this.#stopped) return;
    this.value = Date.now();
    pace.after(1000, this.#tick);
  };

  stop(): void {
    this.#stopped = true;
  }
}

export const now = new Now();
