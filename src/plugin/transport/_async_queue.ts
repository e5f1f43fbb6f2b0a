/**
 * An unbounded single-consumer async queue: producers push, one consumer iterates; the end or an
 * error reaches the consumer after every value pushed before it.
 *
 * @module
 */

/** A single-consumer async queue. */
export class AsyncQueue<T> implements AsyncIterable<T> {
  #values: T[] = [];
  #waiter?: { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void };
  #state: "open" | "ended" | "failed" = "open";
  #error: unknown;
  #onTake?: (value: T) => void;

  /** @param options.onTake Called as the consumer takes each value (flow-control release). */
  constructor(options: { onTake?: (value: T) => void } = {}) {
    this.#onTake = options.onTake;
  }

  /** Whether end() or fail() was called. */
  get closed(): boolean {
    return this.#state !== "open";
  }

  /** Adds a value; ignored once closed. */
  push(value: T): void {
    if (this.#state !== "open") return;
    const waiter = this.#waiter;
    if (waiter) {
      this.#waiter = undefined;
      this.#onTake?.(value);
      waiter.resolve({ value, done: false });
    } else {
      this.#values.push(value);
    }
  }

  /** Ends the queue normally. */
  end(): void {
    if (this.#state !== "open") return;
    this.#state = "ended";
    this.#wakeIfDrained();
  }

  /** Ends the queue with an error, thrown to the consumer after the values already queued. */
  fail(error: unknown): void {
    if (this.#state !== "open") return;
    this.#state = "failed";
    this.#error = error;
    this.#wakeIfDrained();
  }

  /** Takes the next value. */
  next(): Promise<IteratorResult<T>> {
    if (this.#values.length > 0) {
      const value = this.#values.shift()!;
      this.#onTake?.(value);
      return Promise.resolve({ value, done: false });
    }
    if (this.#state === "failed") return Promise.reject(this.#error);
    if (this.#state === "ended") return Promise.resolve({ value: undefined, done: true });
    if (this.#waiter) return Promise.reject(new Error("AsyncQueue has a single consumer"));
    return new Promise((resolve, reject) => this.#waiter = { resolve, reject });
  }

  /** Iterates the values. */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return { next: () => this.next() };
  }

  #wakeIfDrained(): void {
    const waiter = this.#waiter;
    if (!waiter || this.#values.length > 0) return;
    this.#waiter = undefined;
    if (this.#state === "failed") waiter.reject(this.#error);
    else waiter.resolve({ value: undefined, done: true });
  }
}
