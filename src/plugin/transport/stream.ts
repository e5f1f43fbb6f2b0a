/**
 * One HTTP/2 stream: ordered sending of headers and data within the flow-control windows, and the
 * peer's headers, data, end and reset delivered as events.
 *
 * @module
 */
import { ErrorCode } from "./frames.ts";
import type { HeaderField } from "./hpack.ts";
import type { H2Connection } from "./connection.ts";

/** What a stream tells its owner. Set the handlers before anything can arrive. */
export interface StreamEvents {
  /** A header block (request/response headers, or trailers when `endStream`). */
  onHeaders?(fields: HeaderField[], endStream: boolean): void;
  /** A chunk of body bytes. */
  onData?(data: Uint8Array, endStream: boolean): void;
  /** The peer half-closed the stream (after the last headers or data). */
  onEnd?(): void;
  /** The stream was reset by the peer, or the connection was lost (`connectionLost`). */
  onReset?(code: number, connectionLost: boolean): void;
}

/** An HTTP/2 stream of an H2Connection. */
export class H2Stream {
  /** Stream id. */
  readonly id: number;
  /** Event handlers. */
  events: StreamEvents = {};
  #conn: H2Connection;
  #sendWindow: number;
  #recvUnacked = 0;
  #localEnded = false;
  #remoteEnded = false;
  #reset = false;
  #queue: Promise<void> = Promise.resolve();

  /** @internal Created by the connection. */
  constructor(id: number, conn: H2Connection, initialSendWindow: number) {
    this.id = id;
    this.#conn = conn;
    this.#sendWindow = initialSendWindow;
  }

  /** Whether the stream is over (both sides ended, or reset). */
  get done(): boolean {
    return this.#reset || (this.#localEnded && this.#remoteEnded);
  }

  /** Queues a header block; resolves when it was handed to the socket. */
  sendHeaders(fields: readonly HeaderField[], endStream = false): Promise<void> {
    return this.#enqueue(() => {
      if (this.#reset || this.#localEnded) return;
      this.#conn.sendHeaders(this.id, fields, endStream);
      if (endStream) this.#endLocal();
    });
  }

  /** Queues body bytes, sent as the windows allow; resolves when all were handed to the socket. */
  sendData(data: Uint8Array, endStream = false): Promise<void> {
    return this.#enqueue(async () => {
      let offset = 0;
      while (!this.#reset && !this.#localEnded && !this.#conn.isClosed) {
        const remaining = data.length - offset;
        const allowed = this.#conn.sendAllowance(Math.min(remaining, this.#sendWindow));
        if (allowed <= 0 && remaining > 0) {
          await this.#conn.waitForWindow();
          continue;
        }
        const chunk = data.subarray(offset, offset + allowed);
        offset += allowed;
        this.#sendWindow -= allowed;
        const last = offset >= data.length;
        this.#conn.sendDataFrame(this.id, chunk, last && endStream);
        if (last) {
          if (endStream) this.#endLocal();
          return;
        }
      }
    });
  }

  /** Resets the stream (RST_STREAM) unless it is already over. */
  reset(code: number = ErrorCode.CANCEL): void {
    if (this.done) return;
    this.#reset = true;
    this.#conn.sendReset(this.id, code);
    this.#conn.streamDone(this.id);
    this.#conn.wakeWriters();
  }

  #enqueue(task: () => void | Promise<void>): Promise<void> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => {});
    return run;
  }

  #endLocal(): void {
    this.#localEnded = true;
    if (this.#remoteEnded) this.#conn.streamDone(this.id);
  }

  // ---- called by the connection -------------------------------------------------------------

  /** @internal */
  adjustSendWindow(delta: number): void {
    this.#sendWindow += delta;
  }

  /** @internal */
  peerHeaders(fields: HeaderField[], endStream: boolean): void {
    if (this.#reset) return;
    this.events.onHeaders?.(fields, endStream);
    if (endStream) this.peerEnded();
  }

  /** @internal */
  peerData(data: Uint8Array, endStream: boolean, flowLength: number): void {
    this.#recvUnacked += flowLength;
    this.#recvUnacked = this.#conn.consumed(this.id, flowLength, !endStream, this.#recvUnacked);
    if (this.#reset) return;
    this.events.onData?.(data, endStream);
    if (endStream) this.peerEnded();
  }

  /** @internal */
  peerEnded(): void {
    if (this.#remoteEnded || this.#reset) return;
    this.#remoteEnded = true;
    this.events.onEnd?.();
    if (this.#localEnded) this.#conn.streamDone(this.id);
  }

  /** @internal */
  peerReset(code: number, connectionLost: boolean): void {
    if (this.#reset) return;
    this.#reset = true;
    if (!connectionLost) this.#conn.streamDone(this.id);
    this.events.onReset?.(code, connectionLost);
  }
}
