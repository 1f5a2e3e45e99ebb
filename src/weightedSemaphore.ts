interface Waiter {
  weight: number;
  admit(): void;
}

/**
 * Admits work by weight: at most `capacity` units in flight. Work that fits in what is free goes,
 * even past heavier work that waits, so that a light request never queues behind heavy ones; waiting
 * work goes in arrival order as capacity frees, each that fits. Work heavier than the capacity
 * counts as the whole capacity, so it runs alone rather than never.
 */
export class WeightedSemaphore {
  private inFlight = 0;
  private readonly waiting: Waiter[] = [];

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`A semaphore's capacity is a positive integer, not ${capacity}`);
  }

  async run<T>(weight: number, work: () => Promise<T>): Promise<T> {
    const held = Math.min(Math.max(1, Math.ceil(weight)), this.capacity);
    if (held <= this.capacity - this.inFlight) this.inFlight += held;
    else await new Promise<void>((admit) => this.waiting.push({ weight: held, admit }));
    try {
      return await work();
    } finally {
      this.inFlight -= held;
      this.admitWaiting();
    }
  }

  private admitWaiting(): void {
    for (let index = 0; index < this.waiting.length && this.inFlight < this.capacity; ) {
      const next = this.waiting[index];
      if (next.weight > this.capacity - this.inFlight) {
        index += 1;
        continue;
      }
      this.waiting.splice(index, 1);
      this.inFlight += next.weight;
      next.admit();
    }
  }
}
