/**
 * gRPC over HTTP/2 details shared by client and server (grpc/grpc doc/PROTOCOL-HTTP2.md):
 * length-prefixed messages, `grpc-timeout`, `grpc-message` percent-encoding, custom metadata
 * and the mapping of HTTP/2 error codes to gRPC status codes.
 *
 * @module
 */
import { ChunkQueue } from "./_chunk_queue.ts";
import { ErrorCode } from "./frames.ts";
import type { HeaderField } from "./hpack.ts";
import { GrpcError, type Metadata, Status, type StatusCode } from "./types.ts";

/** Frames one message: compressed flag 0, big-endian length, bytes. */
export function encodeMessage(message: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + message.length);
  new DataView(out.buffer).setUint32(1, message.length);
  out.set(message, 5);
  return out;
}

/** Cuts the DATA bytes of one call into messages. */
export class MessageDecoder {
  #queue = new ChunkQueue();
  #maxMessageBytes: number;

  /** @param maxMessageBytes Largest message accepted. */
  constructor(maxMessageBytes: number) {
    this.#maxMessageBytes = maxMessageBytes;
  }

  /** Bytes held that do not yet form a complete message. */
  get buffered(): number {
    return this.#queue.size;
  }

  /**
   * Adds bytes; returns the messages now complete.
   *
   * @throws {GrpcError} INTERNAL for a compressed or malformed prefix (we never accept a
   *   compression, so a set flag is a peer error, as grpc-go reports it), RESOURCE_EXHAUSTED for
   *   a message above the limit.
   */
  push(data: Uint8Array): Uint8Array[] {
    this.#queue.push(data);
    const messages: Uint8Array[] = [];
    while (this.#queue.size >= 5) {
      const prefix = this.#queue.peek(5);
      if (prefix[0] === 1) {
        throw new GrpcError(Status.INTERNAL, "compressed message but no grpc-encoding was agreed");
      }
      if (prefix[0] !== 0) throw new GrpcError(Status.INTERNAL, "invalid message prefix");
      const length = new DataView(prefix.buffer, prefix.byteOffset, 5).getUint32(1);
      if (length > this.#maxMessageBytes) {
        throw new GrpcError(
          Status.RESOURCE_EXHAUSTED,
          `message of ${length} bytes exceeds the limit: limit is ${this.#maxMessageBytes}`,
        );
      }
      if (this.#queue.size < 5 + length) break;
      this.#queue.take(5);
      // A copy: a plain Uint8Array (not a socket Buffer) that pins no larger chunk in memory.
      messages.push(new Uint8Array(this.#queue.take(length)));
    }
    return messages;
  }
}

const TIMEOUT_UNIT_MS: Record<string, number> = {
  H: 3_600_000,
  M: 60_000,
  S: 1000,
  m: 1,
  u: 1e-3,
  n: 1e-6,
};

/** Parses a `grpc-timeout` value ("1500m", "90S") into ms; undefined when malformed. */
export function parseTimeout(value: string | undefined): number | undefined {
  const match = /^(\d{1,8})([HMSmun])$/.exec(value ?? "");
  if (!match) return undefined;
  return Number(match[1]) * TIMEOUT_UNIT_MS[match[2]];
}

/** Formats ms as a `grpc-timeout` value: at most 8 digits, rounded up so it never shortens. */
export function formatTimeout(ms: number): string {
  const value = Math.max(0, Math.ceil(ms));
  if (value < 1e8) return `${value}m`;
  if (value / 1000 < 1e8) return `${Math.ceil(value / 1000)}S`;
  return `${Math.min(Math.ceil(value / 60_000), 99_999_999)}M`;
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** Percent-encodes a status message: bytes outside 0x20..0x7E, and '%' itself. */
export function encodeGrpcMessage(message: string): string {
  let out = "";
  for (const b of utf8.encode(message)) {
    out += b >= 0x20 && b <= 0x7e && b !== 0x25
      ? String.fromCharCode(b)
      : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** Decodes `grpc-message`; a malformed escape is kept as it is, as the spec asks. */
export function decodeGrpcMessage(value: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const hex = value.slice(i + 1, i + 3);
    if (value[i] === "%" && /^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      for (const b of utf8.encode(value[i])) bytes.push(b);
    }
  }
  return utf8Decoder.decode(Uint8Array.from(bytes));
}

/** Headers that belong to the protocol, not to the application's metadata. */
const RESERVED = new Set([
  "content-type",
  "te",
  "user-agent",
  "grpc-encoding",
  "grpc-accept-encoding",
  "grpc-timeout",
  "grpc-status",
  "grpc-message",
  "grpc-status-details-bin",
]);

/** Custom metadata of a header block: no pseudo-headers, no protocol headers. */
export function metadataFrom(fields: readonly HeaderField[]): Metadata {
  const metadata: Metadata = {};
  for (const [name, value] of fields) {
    if (name.startsWith(":") || RESERVED.has(name)) continue;
    (metadata[name] ??= []).push(value);
  }
  return metadata;
}

/** Header fields for custom metadata; names are lower-cased, protocol headers dropped. */
export function metadataFields(metadata: Metadata | undefined): HeaderField[] {
  const fields: HeaderField[] = [];
  for (const [key, values] of Object.entries(metadata ?? {})) {
    const name = key.toLowerCase();
    if (name.startsWith(":") || RESERVED.has(name)) continue;
    for (const value of values) fields.push([name, value]);
  }
  return fields;
}

/** First value of a header. */
export function headerValue(fields: readonly HeaderField[], name: string): string | undefined {
  return fields.find(([n]) => n === name)?.[1];
}

/** The gRPC status for a stream reset with an HTTP/2 error code (PROTOCOL-HTTP2.md). */
export function statusFromH2Code(code: number): StatusCode {
  switch (code) {
    case ErrorCode.REFUSED_STREAM:
      return Status.UNAVAILABLE;
    case ErrorCode.CANCEL:
      return Status.CANCELLED;
    case ErrorCode.ENHANCE_YOUR_CALM:
      return Status.RESOURCE_EXHAUSTED;
    case ErrorCode.INADEQUATE_SECURITY:
      return Status.PERMISSION_DENIED;
    default:
      return Status.INTERNAL;
  }
}

/** The gRPC status for an HTTP status without `grpc-status` (PROTOCOL-HTTP2.md, http-grpc). */
export function statusFromHttp(httpStatus: string | undefined): StatusCode {
  switch (httpStatus) {
    case "400":
      return Status.INTERNAL;
    case "401":
      return Status.UNAUTHENTICATED;
    case "403":
      return Status.PERMISSION_DENIED;
    case "404":
      return Status.UNIMPLEMENTED;
    case "429":
    case "502":
    case "503":
    case "504":
      return Status.UNAVAILABLE;
    default:
      return Status.UNKNOWN;
  }
}
