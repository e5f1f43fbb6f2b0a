import assert from "node:assert/strict";
import { calculateTtl, formatGoDuration } from "../../../src/sdk/framework/ttl.ts";

const NOW = new Date("2026-11-23T12:00:00Z");
const H = 3600;
const base = {
  incrementSeconds: 0,
  backendTtlSeconds: 0,
  backendMaxTtlSeconds: 0,
  mountDefaultSeconds: 768 * H,
  mountMaxSeconds: 768 * H,
  now: NOW,
};

const CASES: Array<[string, Partial<typeof base> & { issueTime?: Date }, number, number, boolean]> =
  [
    // name, input, ttl, max, warned
    ["nothing set: mount default", {}, 768 * H, 768 * H, false],
    ["role ttl wins over mount default", { backendTtlSeconds: H }, H, 768 * H, false],
    [
      "requested ttl wins over role ttl",
      { incrementSeconds: 2 * H, backendTtlSeconds: H },
      2 * H,
      768 * H,
      false,
    ],
    [
      "role max caps the requested ttl",
      { incrementSeconds: 10 * H, backendMaxTtlSeconds: 2 * H },
      2 * H,
      2 * H,
      true,
    ],
    [
      "role max caps the role ttl",
      { backendTtlSeconds: 5 * H, backendMaxTtlSeconds: 2 * H },
      2 * H,
      2 * H,
      true,
    ],
    [
      "mount max caps the role max",
      { backendTtlSeconds: 5 * H, backendMaxTtlSeconds: 10 * H, mountMaxSeconds: 3 * H },
      3 * H,
      3 * H,
      true,
    ],
    [
      "mount max caps the mount default",
      { mountDefaultSeconds: 10 * H, mountMaxSeconds: 4 * H },
      4 * H,
      4 * H,
      true,
    ],
    [
      "role max above mount max is ignored",
      { backendMaxTtlSeconds: 1000 * H },
      768 * H,
      768 * H,
      false,
    ],
    [
      "renewal is capped at issue time + max",
      {
        incrementSeconds: 2 * H,
        backendMaxTtlSeconds: 3 * H,
        issueTime: new Date(NOW.getTime() - 2 * H * 1000),
      },
      H,
      3 * H,
      true,
    ],
    [
      "renewal within the max is granted",
      {
        incrementSeconds: 30 * 60,
        backendMaxTtlSeconds: 3 * H,
        issueTime: new Date(NOW.getTime() - H * 1000),
      },
      30 * 60,
      3 * H,
      false,
    ],
    [
      "renewal uses the role ttl without an increment",
      {
        backendTtlSeconds: H,
        backendMaxTtlSeconds: 24 * H,
        issueTime: new Date(NOW.getTime() - H * 1000),
      },
      H,
      24 * H,
      false,
    ],
    [
      "zero issue time counts as now",
      { backendTtlSeconds: H, issueTime: new Date(-62135596800000) },
      H,
      768 * H,
      false,
    ],
    [
      "requested ttl equal to max is not a warning",
      { incrementSeconds: 2 * H, backendMaxTtlSeconds: 2 * H },
      2 * H,
      2 * H,
      false,
    ],
  ];

Deno.test("calculateTtl follows Vault's CalculateTTL", async (t) => {
  for (const [name, input, ttl, max, warned] of CASES) {
    await t.step(name, () => {
      const result = calculateTtl({ ...base, ...input });
      assert.equal(result.ttlSeconds, ttl);
      assert.equal(result.maxTtlSeconds, max);
      assert.equal(result.warnings.length > 0, warned, result.warnings.join("; "));
    });
  }
});

Deno.test("calculateTtl refuses to renew past the max TTL", () => {
  assert.throws(
    () =>
      calculateTtl({
        ...base,
        backendMaxTtlSeconds: H,
        issueTime: new Date(NOW.getTime() - 2 * H * 1000),
      }),
    /past the max TTL, cannot renew/,
  );
});

Deno.test("calculateTtl's cap warning matches Vault's text", () => {
  const result = calculateTtl({ ...base, incrementSeconds: 10 * H, backendMaxTtlSeconds: 2 * H });
  assert.deepEqual(result.warnings, [
    `TTL of "10h0m0s" exceeded the effective max_ttl of "2h0m0s"; TTL value is capped accordingly`,
  ]);
  assert.equal(formatGoDuration(90), "1m30s");
});
