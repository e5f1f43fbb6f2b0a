/**
 * A tiny step runner for the e2e suites: one line per step, a summary at the end, and a cleanup
 * stack that runs on success, failure and Ctrl-C alike.
 *
 * @module
 */

/** Outcome of one step. */
export interface StepResult {
  /** Suite the step belongs to (e.g. the engine's name). */
  suite: string;
  /** What the step checks. */
  name: string;
  /** Whether it passed. */
  ok: boolean;
  /** Wall time in milliseconds. */
  ms: number;
  /** Failure message. */
  error?: string;
}

/** Runs named steps in order and records their outcome; a failed step stops its suite. */
export class StepRunner {
  #results: StepResult[] = [];
  #cleanups: Array<() => Promise<void> | void> = [];
  #cleaning = false;

  /** Every result so far. */
  get results(): readonly StepResult[] {
    return this.#results;
  }

  /**
   * Runs one step and prints its line. Throws the step's error so the suite stops.
   *
   * @param suite Suite name printed in front of the step.
   * @param name What the step checks.
   * @param fn The step; throws to fail.
   */
  async step<T>(suite: string, name: string, fn: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      const value = await fn();
      const ms = performance.now() - started;
      this.#results.push({ suite, name, ok: true, ms });
      console.log(`  ok    ${suite.padEnd(8)} ${name} (${ms.toFixed(0)} ms)`);
      return value;
    } catch (error) {
      const ms = performance.now() - started;
      const message = error instanceof Error ? error.message : String(error);
      this.#results.push({ suite, name, ok: false, ms, error: message });
      console.log(`  FAIL  ${suite.padEnd(8)} ${name} (${ms.toFixed(0)} ms)\n        ${message}`);
      throw error;
    }
  }

  /** Registers cleanup work, run last-in first-out by `cleanup()`. */
  defer(fn: () => Promise<void> | void): void {
    this.#cleanups.push(fn);
  }

  /** Runs every registered cleanup once, logging (not throwing) their failures. */
  async cleanup(): Promise<void> {
    if (this.#cleaning) return;
    this.#cleaning = true;
    while (this.#cleanups.length > 0) {
      const fn = this.#cleanups.pop()!;
      try {
        await fn();
      } catch (error) {
        console.error(`cleanup failed: ${error instanceof Error ? error.message : error}`);
      }
    }
    this.#cleaning = false;
  }

  /** Prints the summary line in the plain "N passed, N failed" form and returns the failures. */
  summary(): number {
    const passed = this.#results.filter((r) => r.ok).length;
    const failed = this.#results.length - passed;
    console.log(`\n${passed} passed, ${failed} failed`);
    return failed;
  }
}

/** Throws with `message` unless `condition` holds. */
export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}
