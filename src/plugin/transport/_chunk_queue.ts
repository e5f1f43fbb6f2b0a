/**
 * A queue of received byte chunks read from the front: peek and take the first `n` bytes,
 * copying only when they span chunks. Shared by the frame reader and the gRPC message decoder.
 *
 * @module
 */

/** Received bytes, in order. */
export class ChunkQueue {
  #chunks: Uint8Array[] = [];
  #size = 0;

  /** Bytes held. */
  get size(): number {
    return this.#size;
  }

  /** Appends a chunk (kept as given, not copied). */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#size += chunk.length;
  }

  /** The first `n` bytes without removing them; `n` must not exceed `size`. */
  peek(n: number): Uint8Array {
    if (this.#chunks[0].length < n) this.#merge(n);
    return this.#chunks[0].subarray(0, n);
  }

  /** Removes and returns the first `n` bytes; `n` must not exceed `size`. */
  take(n: number): Uint8Array {
    if (n === 0) return new Uint8Array(0);
    if (this.#chunks[0].length < n) this.#merge(n);
    const first = this.#chunks[0];
    const taken = first.subarray(0, n);
    if (first.length === n) this.#chunks.shift();
    else this.#chunks[0] = first.subarray(n);
    this.#size -= n;
    return taken;
  }

  /** Joins leading chunks until the first holds at least `n` bytes. */
  #merge(n: number): void {
    const parts: Uint8Array[] = [];
    let size = 0;
    while (size < n) {
      const part = this.#chunks.shift()!;
      parts.push(part);
      size += part.length;
    }
    const joined = new Uint8Array(size);
    let offset = 0;
    for (const part of parts) {
      joined.set(part, offset);
      offset += part.length;
    }
    this.#chunks.unshift(joined);
  }
}
