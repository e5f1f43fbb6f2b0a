/**
 * Batches outgoing frames into one socket write per microtask (one TLS record instead of one per
 * frame) and tells writers when the socket's buffer is full.
 *
 * @module
 */
import { encodeFrame } from "./frames.ts";
import { Waiters } from "./_waiters.ts";

/** The socket surface we use; node:net and node:tls sockets have it. */
export interface ByteSocket {
  write(data: Uint8Array): boolean;
  end(): unknown;
  destroy(): unknown;
  readonly writableLength?: number;
  on(event: "data", listener: (chunk: Uint8Array) => void): unknown;
  on(event: "close" | "end" | "drain", listener: () => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
}

/** Above this many unsent bytes in the socket, data writers wait for "drain". */
const HIGH_WATER = 1 << 20;

/** Queues frames and writes them in batches. */
export class FrameWriter {
  #socket: ByteSocket;
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #scheduled = false;
  #closed = false;
  #drainWaiters = new Waiters();
  #onError: () => void;

  /**
   * @param socket The connected socket.
   * @param onError Called (once per failure) when a write throws: the socket is unusable.
   */
  constructor(socket: ByteSocket, onError: () => void) {
    this.#socket = socket;
    this.#onError = onError;
    socket.on("drain", () => this.#wakeDrainWaiters());
  }

  /** Queues one frame; ignored once closed. */
  frame(type: number, flags: number, streamId: number, payload?: Uint8Array): void {
    this.raw(encodeFrame(type, flags, streamId, payload));
  }

  /** Queues bytes as they are (the client preface). */
  raw(bytes: Uint8Array): void {
    if (this.#closed) return;
    this.#pending.push(bytes);
    this.#pendingBytes += bytes.length;
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  /** Whether data writers should wait before queueing more. */
  get congested(): boolean {
    return this.#pendingBytes + (this.#socket.writableLength ?? 0) > HIGH_WATER;
  }

  /** Resolves when the socket drained (or the writer closed). */
  waitForDrain(): Promise<void> {
    if (this.#closed || !this.congested) return Promise.resolve();
    this.flush();
    return this.#drainWaiters.wait();
  }

  /** Writes everything queued now. */
  flush(): void {
    this.#scheduled = false;
    if (this.#closed || this.#pending.length === 0) return;
    const parts = this.#pending;
    const data = parts.length === 1 ? parts[0] : concatBytes(parts, this.#pendingBytes);
    this.#pending = [];
    this.#pendingBytes = 0;
    try {
      this.#socket.write(data);
    } catch {
      this.close();
      this.#onError();
    }
    if (!this.congested) this.#wakeDrainWaiters();
  }

  /** Stops writing; queued frames are dropped (flush first to keep them). */
  close(): void {
    this.#closed = true;
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#wakeDrainWaiters();
  }

  #wakeDrainWaiters(): void {
    this.#drainWaiters.wakeAll();
  }
}

/** Joins byte arrays whose total length is known. */
export function concatBytes(parts: readonly Uint8Array[], total?: number): Uint8Array {
  const out = new Uint8Array(total ?? parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
