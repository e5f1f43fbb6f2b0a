/**
 * gRPC over HTTP/2 details shared by client and server: length-prefixed messages, `grpc-timeout`,
 * `grpc-message` percent-encoding and custom metadata.
 * (https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md)
 *
 * @module
 */
import type { HeaderField } from "./hpack.ts";
import { GrpcError, type Metadata, Status } from "./types.ts";

/** Frames one message: compressed flag 0, big-endian length, bytes. */
export function encodeMessage(message: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + message.length);
  new DataView(out.buffer).setUint32(1, message.length);
  out.set(message, 5);
  return out;
}

/** Cuts a DATA byte stream into gRPC messages. */
export class MessageDecoder {
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  #maxMessageBytes: number;

  /** @param maxMessageBytes Largest message accepted; larger ones fail with RESOURCE_EXHAUSTED. */
  constructor(maxMessageBytes: number) {
    this.#maxMessageBytes = maxMessageBytes;
  }

  /** Adds bytes; returns the messages now complete. Throws GrpcError on a bad prefix. */
  push(data: Uint8Array): Uint8Array[] {
    if (data.length > 0) {
      this.#chunks.push(data);
      this.#buffered += data.length;
    }
    const messages: Uint8Array[] = [];
    while (this.#buffered >= 5) {
      const head = this.#peek(5);
      if (head[0] !== 0) {
        throw new GrpcError(Status.UNIMPLEMENTED, "compressed messages are not supported");
      }
      const length = new DataView(head.buffer, head.byteOffset, 5).getUint32(1);
      if (length > this.#maxMessageBytes) {
        throw new GrpcError(
          Status.RESOURCE_EXHAUSTED,
          `message of ${length} bytes exceeds the limit of ${this.#maxMessageBytes}`,
        );
      }
      if (this.#buffered < 5 + length) break;
      const whole = this.#take(5 + length);
      messages.push(whole.subarray(5));
    }
    return messages;
  }

  /** Bytes received but not yet part of a complete message. */
  get pending(): number {
    return this.#buffered;
  }

  #peek(n: number): Uint8Array {
    if (this.#chunks[0].length >= n) return this.#chunks[0].subarray(0, n);
    this.#chunks = [this.#flatten()];
    return this.#chunks[0].subarray(0, n);
  }

  #take(n: number): Uint8Array {
    if (this.#chunks[0].length < n) this.#chunks = [this.#flatten()];
    const first = this.#chunks[0];
    const taken = first.subarray(0, n);
    if (first.length === n) this.#chunks.shift();
    else this.#chunks[0] = first.subarray(n);
    this.#buffered -= n;
    return taken;
  }

  #flatten(): Uint8Array {
    const out = new Uint8Array(this.#buffered);
    let offset = 0;
    for (const chunk of this.#chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}

const TIMEOUT_UNITS: Record<string, number> = {
  H: 3_600_000,
  M: 60_000,
  S: 1000,
  m: 1,
  u: 1e-3,
  n: 1e-6,
};

/** Parses a `grpc-timeout` value into milliseconds; undefined when malformed. */
export function parseTimeout(value: string): number | undefined {
  const match = /^(\d{1,8})([HMSmun])$/.exec(value);
  if (!match) return undefined;
  return Number(match[1]) * TIMEOUT_UNITS[match[2]];
}

/** Formats milliseconds as a `grpc-timeout` value (at most 8 digits). */
export function formatTimeout(ms: number): string {
  const value = Math.max(0, Math.ceil(ms));
  if (value < 1e8) return `${value}m`;
  return `${Math.min(Math.ceil(value / 1000), 99_999_999)}S`;
}

/** Percent-encodes a status message as `grpc-message` requires. */
export function encodeGrpcMessage(message: string): string {
  const bytes = new TextEncoder().encode(message);
  let out = "";
  for (const b of bytes) {
    out += b >= 0x20 && b <= 0x7e && b !== 0x25
      ? String.fromCharCode(b)
      : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** Decodes a `grpc-message` value, keeping malformed escapes as they are. */
export function decodeGrpcMessage(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

const RESERVED = new Set([
  "content-type",
  "te",
  "user-agent",
  "grpc-encoding",
  "grpc-accept-encoding",
]);

/** Custom metadata of a header block (no pseudo-headers, no transport headers). */
export function metadataFrom(fields: readonly HeaderField[]): Metadata {
  const metadata: Metadata = {};
  for (const [name, value] of fields) {
    if (name.startsWith(":") || RESERVED.has(name) || name === "grpc-timeout") continue;
    if (name === "grpc-status" || name === "grpc-message") continue;
    (metadata[name] ??= []).push(value);
  }
  return metadata;
}

/** Header fields for custom metadata; names are lower-cased. */
export function metadataFields(metadata: Metadata | undefined): HeaderField[] {
  const fields: HeaderField[] = [];
  for (const [name, values] of Object.entries(metadata ?? {})) {
    for (const value of values) fields.push([name.toLowerCase(), value]);
  }
  return fields;
}

/** First value of a header in a block. */
export function headerValue(fields: readonly HeaderField[], name: string): string | undefined {
  return fields.find(([n]) => n === name)?.[1];
}
