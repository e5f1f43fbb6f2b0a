/**
 * Wire <-> logical translation of requests, responses and secrets (the role of the Go SDK's
 * pb/translation.go). Pure: no I/O, the request's storage is handed in.
 *
 * @module
 */
import type { LeaseOptions, Operation, Request, Response, Secret, Storage } from "../logical.ts";
import { parseJsonObject, stringifyJson } from "./json.ts";
import type { PbHeader, PbLeaseOptions, PbRequest, PbResponse, PbSecret } from "./messages.ts";
import { dateToTimestamp, nanosToSeconds, secondsToNanos, timestampToDate } from "./time.ts";

/** pb.LeaseOptions to logical LeaseOptions; an absent one is all zero with Go's zero time. */
export function leaseOptionsFromPb(pb: PbLeaseOptions | null): LeaseOptions {
  return {
    ttlSeconds: nanosToSeconds(pb?.TTL ?? 0n),
    maxTtlSeconds: nanosToSeconds(pb?.MaxTTL ?? 0n),
    renewable: pb?.renewable ?? false,
    incrementSeconds: nanosToSeconds(pb?.increment ?? 0n),
    issueTime: timestampToDate(pb?.issue_time),
  };
}

/** Logical LeaseOptions to pb.LeaseOptions; `issue_time` is always present (hosts require it). */
export function leaseOptionsToPb(lease: LeaseOptions): PbLeaseOptions {
  return {
    TTL: secondsToNanos(lease.ttlSeconds),
    renewable: lease.renewable,
    increment: secondsToNanos(lease.incrementSeconds),
    issue_time: dateToTimestamp(lease.issueTime),
    MaxTTL: secondsToNanos(lease.maxTtlSeconds),
  };
}

/**
 * pb.Secret to a logical Secret.
 *
 * @throws {SyntaxError} when `internal_data` is not JSON.
 */
export function secretFromPb(pb: PbSecret): Secret {
  return {
    leaseOptions: leaseOptionsFromPb(pb.lease_options),
    internalData: parseJsonObject(pb.internal_data),
    leaseId: pb.lease_id,
  };
}

/**
 * A logical Secret to pb.Secret (the host ignores `lease_id` on responses and sets its own).
 *
 * @throws {TypeError} when the internal data cannot be serialised as JSON.
 */
export function secretToPb(secret: Secret): PbSecret {
  return {
    lease_options: leaseOptionsToPb(secret.leaseOptions),
    internal_data: stringifyJson(secret.internalData ?? {}),
    lease_id: secret.leaseId ?? "",
  };
}

function headersFromPb(headers: Record<string, PbHeader>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name.toLowerCase()] = [...value.header];
  }
  return out;
}

function headersToPb(headers: Record<string, string[]> | undefined): Record<string, PbHeader> {
  const out: Record<string, PbHeader> = {};
  for (const [name, values] of Object.entries(headers ?? {})) out[name] = { header: [...values] };
  return out;
}

/**
 * pb.Request to a logical Request bound to `storage`. `data` "null" becomes `{}`, integers beyond
 * 2^53 in it exact strings (see json.ts). An operation this SDK does not know is passed through
 * unchanged so the backend can answer "unsupported operation" itself.
 *
 * @throws {SyntaxError} when `data` or the secret's `internal_data` is not JSON.
 */
export function requestFromPb(pb: PbRequest, storage: Storage): Request {
  return {
    id: pb.id,
    operation: pb.operation as Operation,
    path: pb.path,
    data: parseJsonObject(pb.data),
    secret: pb.secret ? secretFromPb(pb.secret) : undefined,
    mountPoint: pb.mount_point,
    mountType: pb.mount_type,
    mountAccessor: pb.mount_accessor,
    clientToken: pb.client_token,
    clientTokenAccessor: pb.client_token_accessor,
    displayName: pb.display_name,
    entityId: pb.entity_id,
    headers: headersFromPb(pb.headers),
    remoteAddr: pb.connection?.remote_addr ?? "",
    storage,
  };
}

/**
 * A logical Response to pb.Response. `data` is always valid JSON: "null" when the response has
 * none (as the Go SDK marshals a nil map), never "".
 *
 * @throws {TypeError} when the data cannot be serialised as JSON.
 */
export function responseToPb(response: Response): PbResponse {
  return {
    secret: response.secret ? secretToPb(response.secret) : null,
    auth: null,
    data: stringifyJson(response.data ?? null),
    redirect: "",
    warnings: [...(response.warnings ?? [])],
    wrap_info: null,
    headers: headersToPb(response.headers),
    mount_type: "",
  };
}
