type Job<T> = { id: number; run: () => Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void };

/** Runs at most `concurrency` async jobs at once, in submission order. */
export class JobQueue {
  private readonly pending: Job<unknown>[] = [];
  private running = 0;
  private nextId = 1;

  constructor(private readonly concurrency: number) {}

  push<T>(run: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ id: this.nextId++, run, resolve, reject } as Job<unknown>);
      this.drain();
    });
  }

  get size(): number {
    return this.pending.length + this.running;
  }

  private drain(): void {
    while (this.running < this.concurrency && this.pending.length > 0) {
      const job = this.pending.shift()!;
      this.running++;
      job
        .run()
        .then(job.resolve, job.reject)
        .finally(() => {
          this.running--;
          this.drain();
        });
    }
  }
}
