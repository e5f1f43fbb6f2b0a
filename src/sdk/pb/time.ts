/**
 * Durations and times between the wire and the logical layer. The wire counts int64 nanoseconds
 * (Go's time.Duration) and google.protobuf.Timestamp; the logical layer counts whole seconds and
 * uses `Date`. Conversions go through `bigint`, so nothing is rounded above 2^53 ns (~104 days).
 *
 * @module
 */
import type { PbTimestamp } from "./messages.ts";

const NS_PER_SECOND = 1_000_000_000n;

/**
 * Nanoseconds to whole seconds, truncated toward zero (as Go's `Duration.Seconds` cast to int).
 *
 * @throws {RangeError} when the result exceeds Number.MAX_SAFE_INTEGER seconds (no host sends
 * one: the int64 range is ~292 years).
 */
export function nanosToSeconds(nanos: bigint): number {
  const seconds = nanos / NS_PER_SECOND;
  if (seconds > BigInt(Number.MAX_SAFE_INTEGER) || seconds < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`Cannot convert ${nanos} ns to seconds: out of range`);
  }
  return Number(seconds);
}

/**
 * Seconds to int64 nanoseconds; a fraction is truncated, as the logical layer counts whole seconds.
 *
 * @throws {RangeError} when `seconds` is not finite or the result does not fit an int64.
 */
export function secondsToNanos(seconds: number): bigint {
  if (!Number.isFinite(seconds)) {
    throw new RangeError(`Cannot convert ${seconds} s to nanoseconds: not a finite number`);
  }
  const nanos = BigInt(Math.trunc(seconds)) * NS_PER_SECOND;
  if (BigInt.asIntN(64, nanos) !== nanos) {
    throw new RangeError(`Cannot convert ${seconds} s to nanoseconds: exceeds int64`);
  }
  return nanos;
}

/** The time Go sends for an unset `time.Time`: 0001-01-01T00:00:00Z. */
export const GO_ZERO_TIME: Readonly<PbTimestamp> = Object.freeze({
  seconds: -62_135_596_800n,
  nanos: 0,
});

/**
 * A Timestamp to a Date (millisecond precision, as `Date` has no finer); an absent one is Go's
 * zero time, which is what a Go host means by it.
 */
export function timestampToDate(timestamp: PbTimestamp | null | undefined): Date {
  const t = timestamp ?? GO_ZERO_TIME;
  return new Date(Number(t.seconds) * 1000 + Math.floor(t.nanos / 1e6));
}

/** A Date to a Timestamp; an invalid Date becomes Go's zero time (hosts reject a missing one). */
export function dateToTimestamp(date: Date): PbTimestamp {
  const ms = date.getTime();
  if (Number.isNaN(ms)) return { ...GO_ZERO_TIME };
  const seconds = Math.floor(ms / 1000);
  return { seconds: BigInt(seconds), nanos: (ms - seconds * 1000) * 1_000_000 };
}
