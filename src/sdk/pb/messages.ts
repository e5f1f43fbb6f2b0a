/**
 * TypeScript shapes of the decoded protobuf messages we read and write (see codec.ts): field
 * names as in proto/pb/backend.proto, int64 as decimal strings.
 *
 * @module
 */

/** google.protobuf.Timestamp. */
export interface PbTimestamp {
  seconds: string;
  nanos: number;
}

/** pb.LeaseOptions (durations in nanoseconds). */
export interface PbLeaseOptions {
  TTL: string;
  renewable: boolean;
  increment: string;
  issue_time: PbTimestamp | null;
  MaxTTL: string;
}

/** pb.Secret. */
export interface PbSecret {
  lease_options: PbLeaseOptions | null;
  internal_data: string;
  lease_ID: string;
}

/** pb.Header. */
export interface PbHeader {
  header: string[];
}

/** pb.Connection (only what we read). */
export interface PbConnection {
  remote_addr: string;
}

/** pb.Request (only what we read). */
export interface PbRequest {
  ID: string;
  operation: string;
  path: string;
  data: string;
  secret: PbSecret | null;
  headers: Record<string, PbHeader>;
  client_token: string;
  client_token_accessor: string;
  display_name: string;
  mount_point: string;
  mount_type: string;
  mount_accessor: string;
  entity_ID: string;
  connection: PbConnection | null;
}

/** pb.ProtoError. */
export interface PbProtoError {
  err_type: number;
  err_msg: string;
  err_code: string | number;
}

/** pb.Response (what we write). */
export interface PbResponse {
  secret?: PbSecret;
  data: string;
  warnings: string[];
  headers: Record<string, PbHeader>;
}

/** pb.StorageEntry. */
export interface PbStorageEntry {
  key: string;
  value: Uint8Array;
  seal_wrap: boolean;
}

/** logical.Alias (what we read). */
export interface PbAlias {
  mount_type: string;
  mount_accessor: string;
  name: string;
  metadata: Record<string, string>;
  ID: string;
}

/** logical.Entity. */
export interface PbEntity {
  ID: string;
  name: string;
  aliases: PbAlias[];
  metadata: Record<string, string>;
  disabled: boolean;
  namespace_id: string;
}

/** logical.Group. */
export interface PbGroup {
  ID: string;
  name: string;
  metadata: Record<string, string>;
  namespace_id: string;
}

/** pb.ProtoError err_type values (protocol.md §6.7). */
export const ErrType = {
  UNKNOWN: 0,
  USER_ERROR: 1,
  INTERNAL_ERROR: 2,
  CODED_ERROR: 3,
  STATUS_BAD_REQUEST: 4,
  UNSUPPORTED_OPERATION: 5,
  UNSUPPORTED_PATH: 6,
  INVALID_REQUEST: 7,
  PERMISSION_DENIED: 8,
  MULTI_AUTHZ_PENDING: 9,
  UNRECOVERABLE: 10,
} as const;
