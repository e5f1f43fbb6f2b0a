/**
 * Types shared by the gRPC transport and everything that serves or calls RPCs over it. Messages
 * travel as encoded protobuf bytes; encoding is the caller's business (`src/sdk/pb`).
 *
 * @module
 */

/** gRPC status codes (https://grpc.github.io/grpc/core/md_doc_statuscodes.html). */
export const Status = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

/** A gRPC status code. */
export type StatusCode = typeof Status[keyof typeof Status];

/** Request or response metadata: lower-cased header names to their values. */
export type Metadata = Record<string, string[]>;

/** A call that ended with a non-OK gRPC status, on either side. */
export class GrpcError extends Error {
  /** The gRPC status code. */
  readonly code: StatusCode;

  /**
   * @param code gRPC status code.
   * @param message Status message (sent as `grpc-message`).
   */
  constructor(code: StatusCode, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "GrpcError";
    this.code = code;
  }
}

/** Per-call information given to a server handler. */
export interface CallContext {
  /** Request metadata (custom headers of the call). */
  metadata: Metadata;
  /** Aborted when the client cancels, the deadline passes or the connection closes. */
  signal: AbortSignal;
}

/** Serves one unary method: encoded request in, encoded response out; throw GrpcError for a status. */
export type UnaryHandler = (request: Uint8Array, ctx: CallContext) => Promise<Uint8Array>;

/** Options of one outgoing call. */
export interface CallOptions {
  /** Metadata sent with the call. */
  metadata?: Metadata;
  /** Deadline relative to now, sent as `grpc-timeout` and enforced locally. */
  timeoutMs?: number;
  /** Cancels the call (RST_STREAM CANCEL). */
  signal?: AbortSignal;
}

/** Calls one unary method on a peer; rejects with GrpcError on a non-OK status. */
export type UnaryInvoker = (
  method: string,
  request: Uint8Array,
  options?: CallOptions,
) => Promise<Uint8Array>;
