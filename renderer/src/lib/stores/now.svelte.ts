/** One shared wall clock, ticking once a second, for relative times and stale indicators. */
class Now {
  value = $state(Date.now());
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor() {
    this.#timer = setInterval(() => (this.value = Date.now()), 1000);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}

export const now = new Now();
