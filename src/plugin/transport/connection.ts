/**
 * One HTTP/2 connection (RFC 9113) over an already-established byte stream, in the client or the
 * server role: SETTINGS, PING, flow control both ways, HEADERS/CONTINUATION, DATA, RST_STREAM and
 * GOAWAY. Nothing a peer sends can throw out of here: protocol violations end the connection with
 * a GOAWAY, and every open stream learns that it was reset.
 *
 * @module
 */
import {
  CLIENT_PREFACE,
  DEFAULT_MAX_FRAME_SIZE,
  DEFAULT_WINDOW,
  encodeFrame,
  ErrorCode,
  Flag,
  type Frame,
  FrameReader,
  FrameType,
  Setting,
  unpad,
} from "./frames.ts";
import { type HeaderField, HpackDecoder, hpackEncode } from "./hpack.ts";
import { H2Stream } from "./stream.ts";

/** The minimal socket surface we need (node:net / node:tls sockets satisfy it). */
export interface ByteSocket {
  write(data: Uint8Array): unknown;
  end(): unknown;
  destroy(): unknown;
  on(event: "data", listener: (chunk: Uint8Array) => void): unknown;
  on(event: "close" | "end", listener: () => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
}

/** Options of a connection. */
export interface ConnectionOptions {
  /** Called (server role) when the peer opens a stream with its request headers. */
  onStream?: (stream: H2Stream, headers: HeaderField[], endStream: boolean) => void;
}

/** Our receive windows: large, so multi-megabyte messages need few round trips. */
const STREAM_WINDOW = 4 * 1024 * 1024;
const CONNECTION_WINDOW = 16 * 1024 * 1024;
const OUR_MAX_FRAME_SIZE = 1 << 20;

/** An HTTP/2 connection in one role. */
export class H2Connection {
  readonly role: "client" | "server";
  /** Resolves once the socket is closed, for whatever reason. */
  readonly closed: Promise<void>;
  #socket: ByteSocket;
  #options: ConnectionOptions;
  #reader = new FrameReader(OUR_MAX_FRAME_SIZE);
  #decoder = new HpackDecoder();
  #streams = new Map<number, H2Stream>();
  #nextStreamId: number;
  #prefaceLeft: number;
  #headerBlock?: { streamId: number; endStream: boolean; parts: Uint8Array[] };
  #peerMaxFrameSize = DEFAULT_MAX_FRAME_SIZE;
  #peerInitialWindow = DEFAULT_WINDOW;
  #sendWindow = DEFAULT_WINDOW;
  #windowWaiters: Array<() => void> = [];
  #recvUnacked = 0;
  #lastPeerStreamId = 0;
  #goawayReceived?: number;
  #goawaySent = false;
  #isClosed = false;
  #resolveClosed!: () => void;

  /**
   * @param socket A connected byte stream (TLS with ALPN h2 in practice).
   * @param role Our role on it.
   */
  constructor(socket: ByteSocket, role: "client" | "server", options: ConnectionOptions = {}) {
    this.#socket = socket;
    this.role = role;
    this.#options = options;
    this.#nextStreamId = role === "client" ? 1 : 2;
    this.#prefaceLeft = role === "server" ? CLIENT_PREFACE.length : 0;
    this.closed = new Promise((resolve) => this.#resolveClosed = resolve);
    socket.on("data", (chunk) => this.#onData(chunk));
    socket.on("error", () => this.#onClosed());
    socket.on("close", () => this.#onClosed());
    socket.on("end", () => this.#onClosed());
    if (role === "client") socket.write(CLIENT_PREFACE);
    const settings: Array<[number, number]> = [
      [Setting.INITIAL_WINDOW_SIZE, STREAM_WINDOW],
      [Setting.MAX_FRAME_SIZE, OUR_MAX_FRAME_SIZE],
    ];
    if (role === "client") settings.push([Setting.ENABLE_PUSH, 0]);
    else settings.push([Setting.MAX_CONCURRENT_STREAMS, 10_000]);
    this.#send(FrameType.SETTINGS, 0, 0, encodeSettings(settings));
    this.#sendWindowUpdate(0, CONNECTION_WINDOW - DEFAULT_WINDOW);
  }

  /** Whether new streams may still be opened. */
  get accepting(): boolean {
    return !this.#isClosed && this.#goawayReceived === undefined && !this.#goawaySent;
  }

  /** Number of open streams. */
  get activeStreams(): number {
    return this.#streams.size;
  }

  /** Opens a client stream (client role). Throws when the connection is closing. */
  openStream(): H2Stream {
    if (!this.accepting) throw new Error("the connection is closing");
    const id = this.#nextStreamId;
    this.#nextStreamId += 2;
    const stream = new H2Stream(id, this, this.#peerInitialWindow);
    this.#streams.set(id, stream);
    return stream;
  }

  /** Sends GOAWAY (once) and closes the socket when the last stream is done, or now. */
  goaway(code: number = ErrorCode.NO_ERROR, options: { immediate?: boolean } = {}): void {
    if (!this.#goawaySent && !this.#isClosed) {
      this.#goawaySent = true;
      const payload = new Uint8Array(8);
      new DataView(payload.buffer).setUint32(0, this.#lastPeerStreamId);
      new DataView(payload.buffer).setUint32(4, code);
      this.#send(FrameType.GOAWAY, 0, 0, payload);
    }
    if (options.immediate || this.#streams.size === 0) this.destroy();
  }

  /** Closes the socket now; open streams are reset. */
  destroy(): void {
    if (this.#isClosed) return;
    try {
      this.#socket.end();
    } catch { /* already closed */ }
    setTimeout(() => {
      try {
        this.#socket.destroy();
      } catch { /* already closed */ }
    }, 100);
    this.#onClosed();
  }

  // ---- used by H2Stream -------------------------------------------------------------------

  /** @internal Sends a header block as HEADERS + CONTINUATION frames. */
  sendHeaders(streamId: number, fields: readonly HeaderField[], endStream: boolean): void {
    const block = hpackEncode(fields);
    const max = this.#peerMaxFrameSize;
    let offset = 0;
    let first = true;
    do {
      const part = block.subarray(offset, offset + max);
      offset += part.length;
      const last = offset >= block.length;
      const flags = (last ? Flag.END_HEADERS : 0) | (first && endStream ? Flag.END_STREAM : 0);
      this.#send(first ? FrameType.HEADERS : FrameType.CONTINUATION, flags, streamId, part);
      first = false;
    } while (offset < block.length);
  }

  /** @internal The most the connection window and frame size allow now (0 = wait). */
  sendAllowance(wanted: number): number {
    return Math.min(wanted, this.#sendWindow, this.#peerMaxFrameSize);
  }

  /** @internal Sends one DATA frame already within the windows. */
  sendDataFrame(streamId: number, data: Uint8Array, endStream: boolean): void {
    this.#sendWindow -= data.length;
    this.#send(FrameType.DATA, endStream ? Flag.END_STREAM : 0, streamId, data);
  }

  /** @internal Resolves when a window may have grown (or the connection closed). */
  waitForWindow(): Promise<void> {
    return new Promise((resolve) => this.#windowWaiters.push(resolve));
  }

  /** @internal Sends RST_STREAM. */
  sendReset(streamId: number, code: number): void {
    const payload = new Uint8Array(4);
    new DataView(payload.buffer).setUint32(0, code);
    this.#send(FrameType.RST_STREAM, 0, streamId, payload);
  }

  /** @internal Gives back receive window after the stream consumed `length` bytes. */
  consumed(streamId: number, length: number, streamOpen: boolean, streamUnacked: number): number {
    this.#recvUnacked += length;
    if (this.#recvUnacked >= CONNECTION_WINDOW / 4) {
      this.#sendWindowUpdate(0, this.#recvUnacked);
      this.#recvUnacked = 0;
    }
    if (streamOpen && streamUnacked >= STREAM_WINDOW / 4) {
      this.#sendWindowUpdate(streamId, streamUnacked);
      return 0;
    }
    return streamUnacked;
  }

  /** @internal Forgets a finished stream; closes a draining connection after its last one. */
  streamDone(streamId: number): void {
    this.#streams.delete(streamId);
    if (this.#streams.size === 0 && (this.#goawaySent || this.#goawayReceived !== undefined)) {
      this.destroy();
    }
  }

  /** @internal Wakes writers waiting for window (called by streams too). */
  wakeWriters(): void {
    const waiters = this.#windowWaiters;
    this.#windowWaiters = [];
    for (const wake of waiters) wake();
  }

  /** @internal Whether the socket is gone. */
  get isClosed(): boolean {
    return this.#isClosed;
  }

  // ---- internals --------------------------------------------------------------------------

  #send(type: number, flags: number, streamId: number, payload?: Uint8Array): void {
    if (this.#isClosed) return;
    try {
      this.#socket.write(encodeFrame(type, flags, streamId, payload));
    } catch {
      this.#onClosed();
    }
  }

  #sendWindowUpdate(streamId: number, increment: number): void {
    if (increment <= 0) return;
    const payload = new Uint8Array(4);
    new DataView(payload.buffer).setUint32(0, increment);
    this.#send(FrameType.WINDOW_UPDATE, 0, streamId, payload);
  }

  #onClosed(): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    for (const stream of this.#streams.values()) stream.peerReset(ErrorCode.CANCEL, true);
    this.#streams.clear();
    this.wakeWriters();
    this.#resolveClosed();
  }

  #protocolError(code: number): void {
    this.goaway(code, { immediate: true });
  }

  #onData(chunk: Uint8Array): void {
    try {
      if (this.#prefaceLeft > 0) {
        const offset = CLIENT_PREFACE.length - this.#prefaceLeft;
        const take = Math.min(this.#prefaceLeft, chunk.length);
        for (let i = 0; i < take; i++) {
          if (chunk[i] !== CLIENT_PREFACE[offset + i]) {
            return this.#protocolError(ErrorCode.PROTOCOL_ERROR);
          }
        }
        this.#prefaceLeft -= take;
        chunk = chunk.subarray(take);
        if (chunk.length === 0) return;
      }
      for (const frame of this.#reader.push(chunk)) {
        if (this.#isClosed) return;
        this.#onFrame(frame);
      }
    } catch (error) {
      const code = error instanceof Error && error.name === "HpackError"
        ? ErrorCode.COMPRESSION_ERROR
        : error instanceof Error && error.name === "FrameSizeError"
        ? ErrorCode.FRAME_SIZE_ERROR
        : ErrorCode.PROTOCOL_ERROR;
      this.#protocolError(code);
    }
  }

  #onFrame(frame: Frame): void {
    if (this.#headerBlock && frame.type !== FrameType.CONTINUATION) {
      return this.#protocolError(ErrorCode.PROTOCOL_ERROR);
    }
    switch (frame.type) {
      case FrameType.SETTINGS:
        return this.#onSettings(frame);
      case FrameType.PING:
        if (!(frame.flags & Flag.ACK)) {
          this.#send(FrameType.PING, Flag.ACK, 0, frame.payload.slice());
        }
        return;
      case FrameType.WINDOW_UPDATE:
        return this.#onWindowUpdate(frame);
      case FrameType.GOAWAY:
        return this.#onGoaway(frame);
      case FrameType.HEADERS:
      case FrameType.CONTINUATION:
        return this.#onHeaderFragment(frame);
      case FrameType.DATA:
        return this.#onDataFrame(frame);
      case FrameType.RST_STREAM: {
        const code = frame.payload.length >= 4
          ? new DataView(frame.payload.buffer, frame.payload.byteOffset, 4).getUint32(0)
          : ErrorCode.PROTOCOL_ERROR;
        this.#streams.get(frame.streamId)?.peerReset(code, false);
        return;
      }
      case FrameType.PUSH_PROMISE:
        return this.#protocolError(ErrorCode.PROTOCOL_ERROR);
      default:
        return; // PRIORITY and unknown frame types are ignored (RFC 9113 §5.5)
    }
  }

  #onSettings(frame: Frame): void {
    if (frame.flags & Flag.ACK) return;
    const view = new DataView(frame.payload.buffer, frame.payload.byteOffset, frame.payload.length);
    for (let offset = 0; offset + 6 <= frame.payload.length; offset += 6) {
      const id = view.getUint16(offset);
      const value = view.getUint32(offset + 2);
      if (id === Setting.INITIAL_WINDOW_SIZE) {
        const delta = value - this.#peerInitialWindow;
        this.#peerInitialWindow = value;
        for (const stream of this.#streams.values()) stream.adjustSendWindow(delta);
        this.wakeWriters();
      } else if (id === Setting.MAX_FRAME_SIZE) {
        this.#peerMaxFrameSize = value;
      }
    }
    this.#send(FrameType.SETTINGS, Flag.ACK, 0);
  }

  #onWindowUpdate(frame: Frame): void {
    if (frame.payload.length < 4) return this.#protocolError(ErrorCode.FRAME_SIZE_ERROR);
    const increment = new DataView(frame.payload.buffer, frame.payload.byteOffset, 4).getUint32(0) &
      0x7fffffff;
    if (frame.streamId === 0) this.#sendWindow += increment;
    else this.#streams.get(frame.streamId)?.adjustSendWindow(increment);
    this.wakeWriters();
  }

  #onGoaway(frame: Frame): void {
    const lastStreamId = frame.payload.length >= 4
      ? new DataView(frame.payload.buffer, frame.payload.byteOffset, 4).getUint32(0) & 0x7fffffff
      : 0;
    this.#goawayReceived = lastStreamId;
    for (const [id, stream] of this.#streams) {
      // Streams we opened that the peer never processed may be retried elsewhere.
      const ours = (id % 2 === 1) === (this.role === "client");
      if (ours && id > lastStreamId) stream.peerReset(ErrorCode.REFUSED_STREAM, false);
    }
    if (this.#streams.size === 0) this.destroy();
  }

  #onHeaderFragment(frame: Frame): void {
    if (frame.type === FrameType.HEADERS) {
      if (frame.streamId === 0) return this.#protocolError(ErrorCode.PROTOCOL_ERROR);
      this.#headerBlock = {
        streamId: frame.streamId,
        endStream: (frame.flags & Flag.END_STREAM) !== 0,
        parts: [unpad(frame).slice()],
      };
    } else {
      if (!this.#headerBlock || this.#headerBlock.streamId !== frame.streamId) {
        return this.#protocolError(ErrorCode.PROTOCOL_ERROR);
      }
      this.#headerBlock.parts.push(frame.payload.slice());
    }
    if (!(frame.flags & Flag.END_HEADERS)) return;
    const { streamId, endStream, parts } = this.#headerBlock;
    this.#headerBlock = undefined;
    const fields = this.#decoder.decode(concat(parts));
    const existing = this.#streams.get(streamId);
    if (existing) return existing.peerHeaders(fields, endStream);
    if (this.role !== "server" || streamId % 2 === 0 || streamId <= this.#lastPeerStreamId) {
      return; // headers for a stream we already forgot (e.g. after a reset)
    }
    this.#lastPeerStreamId = streamId;
    if (this.#goawaySent) return this.sendReset(streamId, ErrorCode.REFUSED_STREAM);
    const stream = new H2Stream(streamId, this, this.#peerInitialWindow);
    this.#streams.set(streamId, stream);
    this.#options.onStream?.(stream, fields, endStream);
    if (endStream) stream.peerEnded();
  }

  #onDataFrame(frame: Frame): void {
    const data = unpad(frame);
    const stream = this.#streams.get(frame.streamId);
    const endStream = (frame.flags & Flag.END_STREAM) !== 0;
    if (!stream) {
      // Still give the connection window back, or the peer stalls.
      this.consumed(frame.streamId, frame.payload.length, false, 0);
      return;
    }
    stream.peerData(data.slice(), endStream, frame.payload.length);
  }
}

function encodeSettings(settings: Array<[number, number]>): Uint8Array {
  const out = new Uint8Array(settings.length * 6);
  const view = new DataView(out.buffer);
  settings.forEach(([id, value], i) => {
    view.setUint16(i * 6, id);
    view.setUint32(i * 6 + 2, value);
  });
  return out;
}

/** Joins byte arrays. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
