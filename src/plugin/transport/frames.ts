/**
 * HTTP/2 frames (RFC 9113 §4 and §6): the 9-byte header, the frame types and flags we use, and
 * a reader that cuts a byte stream into frames.
 *
 * @module
 */

/** Frame types. */
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

/** Frame flags. */
export const Flag = {
  END_STREAM: 0x1,
  ACK: 0x1,
  END_HEADERS: 0x4,
  PADDED: 0x8,
  PRIORITY: 0x20,
} as const;

/** Error codes of RST_STREAM and GOAWAY. */
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
  ENHANCE_YOUR_CALM: 0xb,
} as const;

/** SETTINGS identifiers. */
export const Setting = {
  HEADER_TABLE_SIZE: 0x1,
  ENABLE_PUSH: 0x2,
  MAX_CONCURRENT_STREAMS: 0x3,
  INITIAL_WINDOW_SIZE: 0x4,
  MAX_FRAME_SIZE: 0x5,
  MAX_HEADER_LIST_SIZE: 0x6,
} as const;

/** The client connection preface (RFC 9113 §3.4). */
export const CLIENT_PREFACE = new TextEncoder().encode("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

/** The protocol's default frame size and window. */
export const DEFAULT_MAX_FRAME_SIZE = 16_384;
/** Initial flow-control window of every stream and of the connection. */
export const DEFAULT_WINDOW = 65_535;

/** One parsed frame. */
export interface Frame {
  /** Frame type. */
  type: number;
  /** Flags byte. */
  flags: number;
  /** Stream id (31 bits). */
  streamId: number;
  /** Payload, a view into the reader's buffer: copy it to keep it. */
  payload: Uint8Array;
}

/** Serialises one frame. */
export function encodeFrame(
  type: number,
  flags: number,
  streamId: number,
  payload: Uint8Array = new Uint8Array(0),
): Uint8Array {
  const out = new Uint8Array(9 + payload.length);
  out[0] = (payload.length >>> 16) & 0xff;
  out[1] = (payload.length >>> 8) & 0xff;
  out[2] = payload.length & 0xff;
  out[3] = type;
  out[4] = flags;
  new DataView(out.buffer).setUint32(5, streamId & 0x7fffffff);
  out.set(payload, 9);
  return out;
}

/** A frame larger than we accept: connection error FRAME_SIZE_ERROR. */
export class FrameSizeError extends Error {
  /** @param size The announced payload size. */
  constructor(size: number) {
    super(`frame of ${size} bytes exceeds our maximum frame size`);
    this.name = "FrameSizeError";
  }
}

/** Accumulates bytes and yields complete frames. */
export class FrameReader {
  #buffer: Uint8Array = new Uint8Array(0);
  #maxFrameSize: number;

  /** @param maxFrameSize Our SETTINGS_MAX_FRAME_SIZE. */
  constructor(maxFrameSize: number) {
    this.#maxFrameSize = maxFrameSize;
  }

  /** Adds bytes and returns every frame now complete. Throws FrameSizeError on an oversize frame. */
  push(chunk: Uint8Array): Frame[] {
    if (this.#buffer.length === 0) {
      this.#buffer = chunk;
    } else {
      const joined = new Uint8Array(this.#buffer.length + chunk.length);
      joined.set(this.#buffer);
      joined.set(chunk, this.#buffer.length);
      this.#buffer = joined;
    }
    const frames: Frame[] = [];
    let offset = 0;
    const buf = this.#buffer;
    while (buf.length - offset >= 9) {
      const length = (buf[offset] << 16) | (buf[offset + 1] << 8) | buf[offset + 2];
      if (length > this.#maxFrameSize) throw new FrameSizeError(length);
      if (buf.length - offset < 9 + length) break;
      const view = new DataView(buf.buffer, buf.byteOffset + offset + 5, 4);
      frames.push({
        type: buf[offset + 3],
        flags: buf[offset + 4],
        streamId: view.getUint32(0) & 0x7fffffff,
        payload: buf.subarray(offset + 9, offset + 9 + length),
      });
      offset += 9 + length;
    }
    this.#buffer = offset === buf.length ? new Uint8Array(0) : buf.slice(offset);
    return frames;
  }
}

/** Strips padding (and the priority block of HEADERS) from a payload; throws on bad padding. */
export function unpad(frame: Frame): Uint8Array {
  let payload = frame.payload;
  let padLength = 0;
  if (frame.flags & Flag.PADDED) {
    if (payload.length < 1) throw new Error("padded frame without pad length");
    padLength = payload[0];
    payload = payload.subarray(1);
  }
  if (frame.type === FrameType.HEADERS && frame.flags & Flag.PRIORITY) {
    if (payload.length < 5) throw new Error("headers frame with a short priority block");
    payload = payload.subarray(5);
  }
  if (padLength > payload.length) throw new Error("padding exceeds the payload");
  return payload.subarray(0, payload.length - padLength);
}
