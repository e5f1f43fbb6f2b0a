/**
 * A list of parked async tasks, woken one at a time or all at once; woken tasks re-check their
 * condition themselves.
 *
 * @module
 */

/** Parked tasks. */
export class Waiters {
  #queue: Array<() => void> = [];

  /** Parks until woken. */
  wait(): Promise<void> {
    return new Promise((resolve) => this.#queue.push(resolve));
  }

  /** Wakes the longest-waiting task. */
  wakeOne(): void {
    this.#queue.shift()?.();
  }

  /** Wakes every task. */
  wakeAll(): void {
    const queue = this.#queue;
    this.#queue = [];
    for (const wake of queue) wake();
  }
}
