/**
 * In-memory sockets and a frame-level HTTP/2 peer, to drive an H2Connection with exactly the
 * frames a test wants, including invalid ones.
 */
import { EventEmitter } from "node:events";
import type { ByteSocket } from "../../../src/plugin/transport/frame_writer.ts";
import {
  CLIENT_PREFACE,
  encodeFrame,
  ErrorCode,
  Flag,
  type Frame,
  FrameReader,
  FrameType,
  readUint32,
} from "../../../src/plugin/transport/frames.ts";
import {
  type HeaderField,
  HpackDecoder,
  HpackEncoder,
} from "../../../src/plugin/transport/hpack.ts";
import { encodeSettings } from "../../../src/plugin/transport/settings.ts";

/** One end of an in-memory byte stream; data arrives at the other end on a later macrotask. */
export class MemorySocket extends EventEmitter implements ByteSocket {
  peer?: MemorySocket;
  closed = false;
  written = 0;

  write(data: Uint8Array): boolean {
    if (this.closed) throw new Error("write after close");
    const copy = data.slice();
    this.written += copy.length;
    setTimeout(() => this.peer && !this.peer.closed && this.peer.emit("data", copy), 0);
    return true;
  }

  end(): void {
    setTimeout(() => {
      this.peer?.emit("end");
      this.destroy();
    }, 0);
  }

  destroy(): void {
    for (const side of [this, this.peer]) {
      if (side && !side.closed) {
        side.closed = true;
        setTimeout(() => side.emit("close"), 0);
      }
    }
  }
}

/** Two connected in-memory sockets. */
export function socketPair(): [MemorySocket, MemorySocket] {
  const a = new MemorySocket();
  const b = new MemorySocket();
  a.peer = b;
  b.peer = a;
  return [a, b];
}

/** A hand-driven HTTP/2 endpoint on a MemorySocket. */
export class RawPeer {
  readonly socket: MemorySocket;
  readonly frames: Frame[] = [];
  readonly encoder = new HpackEncoder();
  readonly decoder = new HpackDecoder();
  ended = false;
  #reader = new FrameReader(1 << 24);
  #waiters: Array<() => void> = [];

  /** @param socket Our end; `role` is the role we play. */
  constructor(socket: MemorySocket, role: "client" | "server") {
    this.socket = socket;
    let prefaceLeft = role === "server" ? CLIENT_PREFACE.length : 0;
    socket.on("data", (chunk: Uint8Array) => {
      if (prefaceLeft > 0) {
        const take = Math.min(prefaceLeft, chunk.length);
        prefaceLeft -= take;
        chunk = chunk.subarray(take);
      }
      for (const frame of this.#reader.push(chunk)) {
        this.frames.push({ ...frame, payload: frame.payload.slice() });
      }
      this.#wake();
    });
    socket.on("close", () => {
      this.ended = true;
      this.#wake();
    });
  }

  /** Sends the client preface (client role) and a SETTINGS frame. */
  start(settings: Array<[number, number]> = [], options: { preface?: boolean } = {}): void {
    if (options.preface) this.socket.write(CLIENT_PREFACE);
    this.send(FrameType.SETTINGS, 0, 0, encodeSettings(settings));
  }

  /** Sends one frame. */
  send(type: number, flags: number, streamId: number, payload?: Uint8Array): void {
    if (!this.socket.closed) this.socket.write(encodeFrame(type, flags, streamId, payload));
  }

  /** Sends raw bytes. */
  sendBytes(bytes: Uint8Array): void {
    if (!this.socket.closed) this.socket.write(bytes);
  }

  /** Sends a header block in one HEADERS frame. */
  headers(streamId: number, fields: HeaderField[], flags: number = Flag.END_HEADERS): void {
    this.send(FrameType.HEADERS, flags, streamId, this.encoder.encode(fields));
  }

  /** Waits for a frame matching `match` that arrived after frame index `from`. */
  async next(match: (frame: Frame) => boolean, options: { from?: number } = {}): Promise<Frame> {
    const deadline = Date.now() + 3000;
    for (;;) {
      const frame = this.frames.slice(options.from ?? 0).find(match);
      if (frame) return frame;
      if (this.ended) throw new Error(`socket closed while waiting; frames: ${this.describe()}`);
      if (Date.now() > deadline) throw new Error(`no matching frame; frames: ${this.describe()}`);
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  /** Waits for GOAWAY; returns its last-stream-id and error code. */
  async goaway(): Promise<{ lastStreamId: number; code: number }> {
    const frame = await this.next((f) => f.type === FrameType.GOAWAY);
    return { lastStreamId: readUint32(frame.payload, 0), code: readUint32(frame.payload, 4) };
  }

  /** Waits until the other side closed the connection. */
  async closed(): Promise<void> {
    const deadline = Date.now() + 3000;
    while (!this.ended) {
      if (Date.now() > deadline) throw new Error("connection not closed");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** The frames so far, for failure messages. */
  describe(): string {
    return this.frames.map((f) => `${f.type}/${f.flags}/${f.streamId}/${f.payload.length}`)
      .join(" ");
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}

/** Error code of a RST_STREAM or GOAWAY frame. */
export function errorCodeOf(frame: Frame): number {
  return readUint32(frame.payload, frame.type === FrameType.GOAWAY ? 4 : 0);
}

/** Name of an error code, for messages. */
export function codeName(code: number): string {
  return Object.entries(ErrorCode).find(([, value]) => value === code)?.[0] ?? String(code);
}
