import assert from "node:assert/strict";
import {
  dateToTimestamp,
  GO_ZERO_TIME,
  nanosToSeconds,
  secondsToNanos,
  timestampToDate,
} from "../../../src/sdk/pb/time.ts";

Deno.test("nanosToSeconds truncates toward zero and stays exact beyond 2^53 ns", async (t) => {
  const cases: [string, bigint, number][] = [
    ["zero", 0n, 0],
    ["just under a second", 999_999_999n, 0],
    ["768 hours", 2_764_800_000_000_000n, 2_764_800],
    ["200 days (1.728e16 ns > 2^53)", 17_280_000_000_000_000n, 17_280_000],
    ["int64 max (~292 years)", 2n ** 63n - 1n, 9_223_372_036],
    ["negative truncates toward zero", -1_500_000_000n, -1],
  ];
  for (const [name, nanos, seconds] of cases) {
    await t.step(name, () => assert.equal(nanosToSeconds(nanos), seconds));
  }
});

Deno.test("secondsToNanos converts exactly and truncates fractions", async (t) => {
  const cases: [string, number, bigint][] = [
    ["one year", 31_536_000, 31_536_000_000_000_000n],
    ["200 days", 17_280_000, 17_280_000_000_000_000n],
    ["fraction truncated", 1.9, 1_000_000_000n],
    ["negative", -5, -5_000_000_000n],
  ];
  for (const [name, seconds, nanos] of cases) {
    await t.step(name, () => assert.equal(secondsToNanos(seconds), nanos));
  }
});

Deno.test("secondsToNanos refuses what an int64 cannot hold", () => {
  assert.throws(() => secondsToNanos(Number.NaN), RangeError);
  assert.throws(() => secondsToNanos(Infinity), RangeError);
  assert.throws(() => secondsToNanos(9_223_372_037), RangeError); // just beyond int64 ns
  assert.equal(secondsToNanos(9_223_372_036), 9_223_372_036_000_000_000n);
});

Deno.test("timestamps round-trip to the millisecond and Go's zero time is understood", () => {
  const date = new Date("2026-11-23T12:34:56.789Z");
  assert.deepEqual(dateToTimestamp(date), { seconds: 1_795_437_296n, nanos: 789_000_000 });
  assert.equal(timestampToDate(dateToTimestamp(date)).getTime(), date.getTime());
  const before1970 = new Date("1969-12-31T23:59:59.250Z");
  assert.deepEqual(dateToTimestamp(before1970), { seconds: -1n, nanos: 250_000_000 });
  assert.equal(timestampToDate(dateToTimestamp(before1970)).getTime(), before1970.getTime());
  assert.equal(timestampToDate(null).toISOString(), "0001-01-01T00:00:00.000Z");
  assert.equal(timestampToDate(GO_ZERO_TIME).toISOString(), "0001-01-01T00:00:00.000Z");
  assert.deepEqual(dateToTimestamp(new Date(Number.NaN)), GO_ZERO_TIME);
});
