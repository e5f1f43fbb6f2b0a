/**
 * Outstanding PINGs of a connection, matched to their ACKs by payload.
 *
 * @module
 */

/** PINGs in flight. */
export class Pings {
  #pending = new Map<bigint, { resolve: () => void; reject: (error: Error) => void }>();
  #counter = 0n;

  /** A fresh PING payload and a promise of the round-trip time in ms. */
  start(): { payload: Uint8Array; rtt: Promise<number> } {
    const id = ++this.#counter;
    const payload = new Uint8Array(8);
    new DataView(payload.buffer).setBigUint64(0, id);
    const started = performance.now();
    const rtt = new Promise<number>((resolve, reject) => {
      this.#pending.set(id, { resolve: () => resolve(performance.now() - started), reject });
    });
    return { payload, rtt };
  }

  /** An ACK arrived; unknown payloads are ignored. */
  acked(payload: Uint8Array): void {
    const id = new DataView(payload.buffer, payload.byteOffset, 8).getBigUint64(0);
    this.#pending.get(id)?.resolve();
    this.#pending.delete(id);
  }

  /** The connection ended: every outstanding PING fails. */
  failAll(): void {
    for (const ping of this.#pending.values()) ping.reject(new Error("connection closed"));
    this.#pending.clear();
  }
}
