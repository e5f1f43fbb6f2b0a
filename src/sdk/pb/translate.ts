/**
 * Wire <-> logical translation: requests, responses, secrets, durations and timestamps. Pure.
 *
 * Units: the wire counts int64 nanoseconds, the logical layer whole seconds; conversions go
 * through bigint so nothing above 2^53 ns is rounded.
 *
 * @module
 */
import type { LeaseOptions, Operation, Request, Response, Secret, Storage } from "../logical.ts";
import { OPERATIONS } from "../logical.ts";
import type {
  PbHeader,
  PbLeaseOptions,
  PbRequest,
  PbResponse,
  PbSecret,
  PbTimestamp,
} from "./messages.ts";

const NS_PER_SECOND = 1_000_000_000n;

/** Nanoseconds (int64 as decimal string, number or bigint) to whole seconds, truncated. */
export function nanosToSeconds(nanos: string | number | bigint): number {
  const value = typeof nanos === "bigint"
    ? nanos
    : BigInt(typeof nanos === "number" ? Math.trunc(nanos) : nanos || "0");
  return Number(value / NS_PER_SECOND);
}

/** Whole seconds to nanoseconds as an int64 decimal string. */
export function secondsToNanos(seconds: number): string {
  return (BigInt(Math.trunc(seconds)) * NS_PER_SECOND).toString();
}

/** The time Go plugins send when they leave a time unset (0001-01-01T00:00:00Z). */
export const GO_ZERO_TIME: PbTimestamp = { seconds: "-62135596800", nanos: 0 };

/** A Timestamp to a Date; an absent one is Go's zero time. */
export function timestampToDate(ts: PbTimestamp | null | undefined): Date {
  const t = ts ?? GO_ZERO_TIME;
  return new Date(Number(t.seconds) * 1000 + Math.floor(t.nanos / 1e6));
}

/** A Date to a Timestamp. */
export function dateToTimestamp(date: Date): PbTimestamp {
  const ms = date.getTime();
  const seconds = Math.floor(ms / 1000);
  return { seconds: String(seconds), nanos: (ms - seconds * 1000) * 1e6 };
}

/**
 * Parses a JSON object sent by the host. `null`, empty text and non-objects become `{}`. Integers
 * beyond 2^53 are kept as their exact decimal text instead of a rounded number.
 */
export function parseJsonObject(text: string): Record<string, unknown> {
  if (!text) return {};
  const value = JSON.parse(text, keepBigIntegers);
  return value && typeof value === "object" && !Array.isArray(value) ? value : {};
}

function keepBigIntegers(_key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value === "number" && !Number.isSafeInteger(value) && context?.source !== undefined) {
    if (/^-?\d+$/.test(context.source)) return context.source;
  }
  return value;
}

/** pb.LeaseOptions to logical LeaseOptions. */
export function leaseOptionsFromPb(pb: PbLeaseOptions | null): LeaseOptions {
  return {
    ttlSeconds: nanosToSeconds(pb?.TTL ?? "0"),
    maxTtlSeconds: nanosToSeconds(pb?.MaxTTL ?? "0"),
    renewable: pb?.renewable ?? false,
    incrementSeconds: nanosToSeconds(pb?.increment ?? "0"),
    issueTime: timestampToDate(pb?.issue_time),
  };
}

/** pb.Secret to a logical Secret. */
export function secretFromPb(pb: PbSecret): Secret {
  return {
    leaseOptions: leaseOptionsFromPb(pb.lease_options),
    internalData: parseJsonObject(pb.internal_data),
    leaseId: pb.lease_ID,
  };
}

/** A logical Secret to pb.Secret; issue_time is always present (the host rejects a missing one). */
export function secretToPb(secret: Secret): PbSecret {
  const lease = secret.leaseOptions;
  return {
    lease_options: {
      TTL: secondsToNanos(lease.ttlSeconds),
      MaxTTL: secondsToNanos(lease.maxTtlSeconds),
      renewable: lease.renewable,
      increment: secondsToNanos(lease.incrementSeconds),
      issue_time: Number.isNaN(lease.issueTime.getTime())
        ? GO_ZERO_TIME
        : dateToTimestamp(lease.issueTime),
    },
    internal_data: JSON.stringify(secret.internalData ?? {}),
    lease_ID: "",
  };
}

function headersFromPb(headers: Record<string, PbHeader> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    out[name.toLowerCase()] = [...value.header];
  }
  return out;
}

/** pb.Request to a logical Request bound to `storage`. Unknown operations are kept as given. */
export function requestFromPb(pb: PbRequest, storage: Storage): Request {
  return {
    id: pb.ID,
    operation: (OPERATIONS as readonly string[]).includes(pb.operation)
      ? pb.operation as Operation
      : pb.operation as Operation,
    path: pb.path,
    data: parseJsonObject(pb.data),
    secret: pb.secret ? secretFromPb(pb.secret) : undefined,
    mountPoint: pb.mount_point,
    mountType: pb.mount_type,
    mountAccessor: pb.mount_accessor,
    clientToken: pb.client_token,
    clientTokenAccessor: pb.client_token_accessor,
    displayName: pb.display_name,
    entityId: pb.entity_ID,
    headers: headersFromPb(pb.headers),
    remoteAddr: pb.connection?.remote_addr ?? "",
    storage,
  };
}

/** A logical Response to pb.Response; `data` is always valid JSON (never ""). */
export function responseToPb(response: Response): PbResponse {
  const headers: Record<string, PbHeader> = {};
  for (const [name, values] of Object.entries(response.headers ?? {})) {
    headers[name] = { header: values };
  }
  const pb: PbResponse = {
    data: JSON.stringify(response.data ?? null),
    warnings: response.warnings ?? [],
    headers,
  };
  if (response.secret) pb.secret = secretToPb(response.secret);
  return pb;
}
