/**
 * An unbounded async queue: producers push, one consumer iterates; the end or an error reaches
 * the consumer after every value pushed before it.
 *
 * @module
 */

/** A single-consumer async queue. */
export class AsyncQueue<T> implements AsyncIterable<T> {
  #values: T[] = [];
  #waiting?: (result: IteratorResult<T>) => void;
  #failWaiting?: (error: unknown) => void;
  #ended = false;
  #error: unknown = undefined;
  #failed = false;

  /** Adds a value (ignored after the end). */
  push(value: T): void {
    if (this.#ended || this.#failed) return;
    if (this.#waiting) {
      const resolve = this.#waiting;
      this.#waiting = this.#failWaiting = undefined;
      resolve({ value, done: false });
    } else {
      this.#values.push(value);
    }
  }

  /** Ends the queue normally. */
  end(): void {
    if (this.#ended || this.#failed) return;
    this.#ended = true;
    if (this.#waiting && this.#values.length === 0) {
      const resolve = this.#waiting;
      this.#waiting = this.#failWaiting = undefined;
      resolve({ value: undefined, done: true });
    }
  }

  /** Ends the queue with an error, thrown to the consumer after the values already queued. */
  fail(error: unknown): void {
    if (this.#ended || this.#failed) return;
    this.#failed = true;
    this.#error = error;
    if (this.#failWaiting && this.#values.length === 0) {
      const reject = this.#failWaiting;
      this.#waiting = this.#failWaiting = undefined;
      reject(error);
    }
  }

  /** Takes the next value. */
  next(): Promise<IteratorResult<T>> {
    if (this.#values.length > 0) {
      return Promise.resolve({ value: this.#values.shift()!, done: false });
    }
    if (this.#failed) return Promise.reject(this.#error);
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.#waiting = resolve;
      this.#failWaiting = reject;
    });
  }

  /** Iterates the values. */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return { next: () => this.next() };
  }
}
