/**
 * Short names for the decoded messages the translation reads and writes (shapes generated from
 * proto/, see codec.ts), and the ProtoError type numbers.
 *
 * @module
 */
import type { Message } from "./codec.ts";

/** google.protobuf.Timestamp: seconds since the Unix epoch (int64) and nanoseconds. */
export type PbTimestamp = Message<"google.protobuf.Timestamp">;
/** pb.LeaseOptions: TTL, increment and MaxTTL in nanoseconds. */
export type PbLeaseOptions = Message<"pb.LeaseOptions">;
/** pb.Secret: lease options, internal data as JSON text, lease id. */
export type PbSecret = Message<"pb.Secret">;
/** pb.Header: the values of one header. */
export type PbHeader = Message<"pb.Header">;
/** pb.Request: one request routed to the backend; `data` is JSON text. */
export type PbRequest = Message<"pb.Request">;
/** pb.Response: `data` is JSON text, never empty. */
export type PbResponse = Message<"pb.Response">;
/** pb.ProtoError: an error crossing the wire; see {@linkcode ErrType}. */
export type PbProtoError = Message<"pb.ProtoError">;
/** pb.StorageEntry. */
export type PbStorageEntry = Message<"pb.StorageEntry">;
/** logical.Entity. */
export type PbEntity = Message<"logical.Entity">;
/** logical.Alias. */
export type PbAlias = Message<"logical.Alias">;
/** logical.Group. */
export type PbGroup = Message<"logical.Group">;
/** logical.PluginEnvironment. */
export type PbPluginEnvironment = Message<"logical.PluginEnvironment">;

/**
 * pb.ProtoError `err_type` values, in the order of the Go SDK's constants (protocol.md §6.7).
 * For 5 to 10 the host substitutes its own error and drops our message.
 */
export const ErrType = {
  /** Host rebuilds a plain error from the message: 500, or by message substring. */
  UNKNOWN: 0,
  /** 400 in existence checks; otherwise like UNKNOWN. */
  USER_ERROR: 1,
  /** 500. */
  INTERNAL_ERROR: 2,
  /** HTTP status from `err_code`. */
  CODED_ERROR: 3,
  /** 400. */
  STATUS_BAD_REQUEST: 4,
  /** 405 "unsupported operation". */
  UNSUPPORTED_OPERATION: 5,
  /** 404 "unsupported path". */
  UNSUPPORTED_PATH: 6,
  /** 400 "invalid request". */
  INVALID_REQUEST: 7,
  /** 403 "permission denied". */
  PERMISSION_DENIED: 8,
  /** Enterprise control groups. */
  MULTI_AUTHZ_PENDING: 9,
  /** 500 "unrecoverable error". */
  UNRECOVERABLE: 10,
} as const;
