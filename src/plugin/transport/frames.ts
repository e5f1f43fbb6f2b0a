/**
 * HTTP/2 frames (RFC 9113 §4, §6): constants, the 9-octet frame header, a reader that cuts a
 * byte stream into frames, and the error type that carries an HTTP/2 error code.
 *
 * @module
 */
import { ChunkQueue } from "./_chunk_queue.ts";

/** Frame types (RFC 9113 §6). */
export const FrameType = {
  DATA: 0x0,
  HEADERS: 0x1,
  PRIORITY: 0x2,
  RST_STREAM: 0x3,
  SETTINGS: 0x4,
  PUSH_PROMISE: 0x5,
  PING: 0x6,
  GOAWAY: 0x7,
  WINDOW_UPDATE: 0x8,
  CONTINUATION: 0x9,
} as const;

/** Frame flags; END_STREAM and ACK share a bit, their meaning depends on the frame type. */
export const Flag = {
  END_STREAM: 0x1,
  ACK: 0x1,
  END_HEADERS: 0x4,
  PADDED: 0x8,
  PRIORITY: 0x20,
} as const;

/** Error codes of RST_STREAM and GOAWAY (RFC 9113 §7). */
export const ErrorCode = {
  NO_ERROR: 0x0,
  PROTOCOL_ERROR: 0x1,
  INTERNAL_ERROR: 0x2,
  FLOW_CONTROL_ERROR: 0x3,
  SETTINGS_TIMEOUT: 0x4,
  STREAM_CLOSED: 0x5,
  FRAME_SIZE_ERROR: 0x6,
  REFUSED_STREAM: 0x7,
  CANCEL: 0x8,
  COMPRESSION_ERROR: 0x9,
  CONNECT_ERROR: 0xa,
  ENHANCE_YOUR_CALM: 0xb,
  INADEQUATE_SECURITY: 0xc,
  HTTP_1_1_REQUIRED: 0xd,
} as const;

/** SETTINGS parameters (RFC 9113 §6.5.2). */
export const Setting = {
  HEADER_TABLE_SIZE: 0x1,
  ENABLE_PUSH: 0x2,
  MAX_CONCURRENT_STREAMS: 0x3,
  INITIAL_WINDOW_SIZE: 0x4,
  MAX_FRAME_SIZE: 0x5,
  MAX_HEADER_LIST_SIZE: 0x6,
} as const;

/** The client connection preface (RFC 9113 §3.4). */
export const CLIENT_PREFACE: Uint8Array = new TextEncoder().encode(
  "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
);
/** Frame size every endpoint must accept, and the initial SETTINGS_MAX_FRAME_SIZE. */
export const DEFAULT_MAX_FRAME_SIZE = 16_384;
/** Largest SETTINGS_MAX_FRAME_SIZE a peer may announce. */
export const MAX_FRAME_SIZE_LIMIT = (1 << 24) - 1;
/** Initial flow-control window of the connection and of every stream. */
export const DEFAULT_WINDOW = 65_535;
/** Largest flow-control window (2^31 - 1). */
export const MAX_WINDOW = 0x7fffffff;
/** Size of the frame header. */
export const FRAME_HEADER_BYTES = 9;

/** One frame as read from the wire. */
export interface Frame {
  /** Frame type. */
  type: number;
  /** Flags. */
  flags: number;
  /** Stream id (the reserved bit cleared). */
  streamId: number;
  /** Payload; may be a view into a socket buffer, so copy it before mutating. */
  payload: Uint8Array;
}

/**
 * An HTTP/2 error: a connection error when `streamId` is undefined (the connection ends with
 * GOAWAY), otherwise a stream error (that stream is reset with RST_STREAM).
 */
export class H2Error extends Error {
  /** HTTP/2 error code. */
  readonly code: number;
  /** The stream of a stream error. */
  readonly streamId?: number;

  /**
   * @param code An ErrorCode value.
   * @param message What the peer did wrong (sent as GOAWAY debug data).
   */
  constructor(code: number, message: string, options: { streamId?: number } = {}) {
    super(message);
    this.name = "H2Error";
    this.code = code;
    this.streamId = options.streamId;
  }
}

/** Serialises one frame: header and payload in one buffer. */
export function encodeFrame(
  type: number,
  flags: number,
  streamId: number,
  payload: Uint8Array = new Uint8Array(0),
): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER_BYTES + payload.length);
  out[0] = payload.length >>> 16;
  out[1] = (payload.length >>> 8) & 0xff;
  out[2] = payload.length & 0xff;
  out[3] = type;
  out[4] = flags;
  new DataView(out.buffer).setUint32(5, streamId & 0x7fffffff);
  out.set(payload, FRAME_HEADER_BYTES);
  return out;
}

/** Reads a big-endian 32-bit unsigned integer. */
export function readUint32(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) |
    bytes[offset + 3]) >>> 0;
}

/** A big-endian 32-bit payload (RST_STREAM, WINDOW_UPDATE, GOAWAY parts). */
export function uint32Bytes(...values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((value, i) => view.setUint32(i * 4, value >>> 0));
  return out;
}

/**
 * Cuts a byte stream into frames without copying payloads that lie within one chunk; in the
 * server role it first checks the client preface.
 */
export class FrameReader {
  #queue = new ChunkQueue();
  #maxFrameSize: number;
  #prefaceLeft: number;

  /**
   * @param maxFrameSize Our SETTINGS_MAX_FRAME_SIZE: larger frames are a FRAME_SIZE_ERROR.
   * @param options.preface Expect the client connection preface first (server role).
   */
  constructor(maxFrameSize: number, options: { preface?: boolean } = {}) {
    this.#maxFrameSize = maxFrameSize;
    this.#prefaceLeft = options.preface ? CLIENT_PREFACE.length : 0;
  }

  /**
   * Adds bytes and returns every frame now complete, in order.
   *
   * @throws {H2Error} PROTOCOL_ERROR for a wrong preface, FRAME_SIZE_ERROR when a frame header
   *   announces more than our maximum.
   */
  push(chunk: Uint8Array): Frame[] {
    if (this.#prefaceLeft > 0) chunk = this.#checkPreface(chunk);
    this.#queue.push(chunk);
    const frames: Frame[] = [];
    while (this.#queue.size >= FRAME_HEADER_BYTES) {
      const header = this.#queue.peek(FRAME_HEADER_BYTES);
      const length = (header[0] << 16) | (header[1] << 8) | header[2];
      if (length > this.#maxFrameSize) {
        throw new H2Error(ErrorCode.FRAME_SIZE_ERROR, `frame of ${length} octets is too large`);
      }
      if (this.#queue.size < FRAME_HEADER_BYTES + length) break;
      const type = header[3];
      const flags = header[4];
      const streamId = readUint32(header, 5) & 0x7fffffff;
      this.#queue.take(FRAME_HEADER_BYTES);
      frames.push({ type, flags, streamId, payload: this.#queue.take(length) });
    }
    return frames;
  }

  #checkPreface(chunk: Uint8Array): Uint8Array {
    const offset = CLIENT_PREFACE.length - this.#prefaceLeft;
    const take = Math.min(this.#prefaceLeft, chunk.length);
    for (let i = 0; i < take; i++) {
      if (chunk[i] !== CLIENT_PREFACE[offset + i]) {
        throw new H2Error(ErrorCode.PROTOCOL_ERROR, "invalid connection preface");
      }
    }
    this.#prefaceLeft -= take;
    return chunk.subarray(take);
  }
}

/**
 * The payload of a DATA or HEADERS frame without padding (and, for HEADERS, without the
 * priority block).
 *
 * @throws {H2Error} PROTOCOL_ERROR when the padding does not fit (RFC 9113 §6.1).
 */
export function framePayload(frame: Frame): Uint8Array {
  let payload = frame.payload;
  let padLength = 0;
  if (frame.flags & Flag.PADDED) {
    if (payload.length < 1) throw new H2Error(ErrorCode.PROTOCOL_ERROR, "padded frame too short");
    padLength = payload[0];
    payload = payload.subarray(1);
  }
  if (frame.type === FrameType.HEADERS && frame.flags & Flag.PRIORITY) {
    if (payload.length < 5) throw new H2Error(ErrorCode.PROTOCOL_ERROR, "priority block too short");
    payload = payload.subarray(5);
  }
  if (padLength > payload.length) throw new H2Error(ErrorCode.PROTOCOL_ERROR, "padding too long");
  return payload.subarray(0, payload.length - padLength);
}
