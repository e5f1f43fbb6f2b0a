/**
 * One HTTP/2 stream (RFC 9113 §5.1): ordered sending of headers and data within the
 * flow-control windows, receive-window accounting, and the peer's headers, data, end and reset
 * delivered as events. A throwing event handler resets this stream only.
 *
 * @module
 */
import { ErrorCode, H2Error, MAX_WINDOW } from "./frames.ts";
import type { HeaderField } from "./hpack.ts";

/** How the stream ended abnormally, as the gRPC layer needs to know it. */
export type ResetReason =
  /** The peer sent RST_STREAM with the given code. */
  | "peer"
  /** We reset it (cancel, deadline, stream error). */
  | "local"
  /** The peer's GOAWAY excluded it: never processed, safe to retry. */
  | "refused"
  /** The connection closed under it. */
  | "connection";

/** What a stream tells its owner. Set them before anything can arrive (the same tick). */
export interface StreamEvents {
  /** A header block: response/request headers, or trailers when `endStream` is set. */
  onHeaders?(fields: HeaderField[], endStream: boolean): void;
  /** Body bytes. Call `stream.release(data.length)` once they are consumed. */
  onData?(data: Uint8Array): void;
  /** The peer half-closed the stream. */
  onEnd?(): void;
  /** The stream was reset or lost; nothing else arrives after this. */
  onReset?(code: number, reason: ResetReason): void;
}

/** The connection services a stream uses (implemented by H2Connection). */
export interface StreamHost {
  /** Assigns an id and the right to open (waits under MAX_CONCURRENT_STREAMS). */
  openStream(stream: H2Stream): Promise<void>;
  /** Encodes and writes a header block. */
  writeHeaders(streamId: number, fields: readonly HeaderField[], endStream: boolean): void;
  /** Writes DATA frames within the windows; resolves when all bytes are written. */
  writeData(stream: H2Stream, data: Uint8Array, endStream: boolean): Promise<void>;
  /** Writes RST_STREAM. */
  writeReset(streamId: number, code: number): void;
  /** Writes a stream WINDOW_UPDATE. */
  writeWindowUpdate(streamId: number, increment: number): void;
  /** Forgets a finished stream. */
  streamClosed(stream: H2Stream): void;
}

/** An HTTP/2 stream of an H2Connection. */
export class H2Stream {
  /** Event handlers. */
  events: StreamEvents = {};
  /** Bytes we may still send on this stream (may go negative after a SETTINGS change). */
  sendWindow: number;
  #id: number;
  #host: StreamHost;
  #initialRecvWindow: number;
  #recvWindow: number;
  #recvUnacked = 0;
  #localEnded = false;
  #remoteEnded = false;
  #headersReceived = false;
  #reset = false;
  #queue: Promise<void> = Promise.resolve();

  /** @internal Created by the connection; id 0 until opened (client role). */
  constructor(
    id: number,
    host: StreamHost,
    windows: { send: number; receive: number },
  ) {
    this.#id = id;
    this.#host = host;
    this.sendWindow = windows.send;
    this.#initialRecvWindow = windows.receive;
    this.#recvWindow = windows.receive;
  }

  /** Stream id (0 while waiting to be opened). */
  get id(): number {
    return this.#id;
  }

  /** Whether the stream is over: both sides ended, or reset. */
  get done(): boolean {
    return this.#reset || (this.#localEnded && this.#remoteEnded);
  }

  /** Whether the peer half-closed the stream. */
  get remoteEnded(): boolean {
    return this.#remoteEnded;
  }

  /** Whether we half-closed the stream. */
  get localEnded(): boolean {
    return this.#localEnded;
  }

  /** Queues a header block (opening the stream first if needed). Rejects once reset. */
  sendHeaders(fields: readonly HeaderField[], endStream = false): Promise<void> {
    return this.#enqueue(async () => {
      if (this.#id === 0) await this.#host.openStream(this);
      this.#checkWritable();
      this.#host.writeHeaders(this.#id, fields, endStream);
      if (endStream) this.#endLocal();
    });
  }

  /** Queues body bytes, written as the windows allow. Rejects once reset. */
  sendData(data: Uint8Array, endStream = false): Promise<void> {
    return this.#enqueue(async () => {
      this.#checkWritable();
      await this.#host.writeData(this, data, endStream);
      if (endStream) this.#endLocal();
    });
  }

  /** Resets the stream with RST_STREAM unless it is already over. */
  reset(code: number = ErrorCode.CANCEL): void {
    if (this.done) return;
    this.#reset = true;
    if (this.#id !== 0) this.#host.writeReset(this.#id, code);
    this.#host.streamClosed(this);
  }

  /** Returns `length` consumed bytes to the peer's send window (stream WINDOW_UPDATE). */
  release(length: number): void {
    this.#recvUnacked += length;
    // Batch updates; nothing to announce once the peer can send no more.
    if (this.#remoteEnded || this.#reset || this.#recvUnacked < this.#initialRecvWindow / 4) {
      return;
    }
    this.#recvWindow += this.#recvUnacked;
    this.#host.writeWindowUpdate(this.#id, this.#recvUnacked);
    this.#recvUnacked = 0;
  }

  #checkWritable(): void {
    if (this.#reset) throw new H2Error(ErrorCode.CANCEL, "stream was reset");
    if (this.#localEnded) throw new H2Error(ErrorCode.STREAM_CLOSED, "stream already ended");
  }

  #enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => {});
    run.catch(() => {}); // callers may drop the promise; a reset must not become unhandled
    return run;
  }

  #endLocal(): void {
    this.#localEnded = true;
    if (this.#remoteEnded) this.#host.streamClosed(this);
  }

  #emit(deliver: () => void): void {
    try {
      deliver();
    } catch {
      // Our own gRPC layer threw: contain it to this stream.
      this.reset(ErrorCode.INTERNAL_ERROR);
    }
  }

  // ---- called by the connection ---------------------------------------------------------

  /** @internal */
  assignId(id: number): void {
    this.#id = id;
  }

  /** @internal Adds to the send window; a stream error when it would exceed 2^31 - 1. */
  growSendWindow(increment: number): void {
    if (this.sendWindow + increment > MAX_WINDOW) {
      throw new H2Error(ErrorCode.FLOW_CONTROL_ERROR, "stream window overflow", {
        streamId: this.#id,
      });
    }
    this.sendWindow += increment;
  }

  /** @internal A complete header block for this stream. */
  receiveHeaders(fields: HeaderField[], endStream: boolean): void {
    if (this.#reset) return;
    if (this.#remoteEnded) {
      throw new H2Error(ErrorCode.STREAM_CLOSED, "headers after end of stream", {
        streamId: this.#id,
      });
    }
    if (this.#headersReceived && !endStream) {
      throw new H2Error(ErrorCode.PROTOCOL_ERROR, "trailers without END_STREAM", {
        streamId: this.#id,
      });
    }
    this.#headersReceived = true;
    this.#emit(() => this.events.onHeaders?.(fields, endStream));
    if (endStream) this.receiveEnd();
  }

  /** @internal Marks request headers as seen (server role: they came with the stream). */
  markHeadersReceived(): void {
    this.#headersReceived = true;
  }

  /** @internal `flowLength` counts padding too; padding is given back at once. */
  receiveData(data: Uint8Array, endStream: boolean, flowLength: number): void {
    if (this.#reset) return;
    if (this.#remoteEnded) {
      throw new H2Error(ErrorCode.STREAM_CLOSED, "data after end of stream", {
        streamId: this.#id,
      });
    }
    if (!this.#headersReceived) {
      throw new H2Error(ErrorCode.PROTOCOL_ERROR, "data before headers", { streamId: this.#id });
    }
    if (flowLength > this.#recvWindow) {
      throw new H2Error(ErrorCode.FLOW_CONTROL_ERROR, "stream window exceeded", {
        streamId: this.#id,
      });
    }
    this.#recvWindow -= flowLength;
    if (flowLength > data.length) this.release(flowLength - data.length);
    if (data.length > 0) this.#emit(() => this.events.onData?.(data));
    if (endStream) this.receiveEnd();
  }

  /** @internal */
  receiveEnd(): void {
    if (this.#remoteEnded || this.#reset) return;
    this.#remoteEnded = true;
    this.#emit(() => this.events.onEnd?.());
    if (this.#localEnded && !this.#reset) this.#host.streamClosed(this);
  }

  /** @internal The stream ended without our RST_STREAM (peer reset, GOAWAY, connection). */
  terminate(code: number, reason: ResetReason): void {
    if (this.#reset) return;
    this.#reset = true;
    this.#host.streamClosed(this);
    this.#emit(() => this.events.onReset?.(code, reason));
  }
}
