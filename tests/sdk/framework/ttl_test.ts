import assert from "node:assert/strict";
import {
  calculateTtl,
  computeLeaseTtl,
  formatGoDuration,
  humanDuration,
  type TtlInput,
} from "../../../src/sdk/framework/ttl.ts";

const NOW = new Date("2026-11-23T12:00:00Z");
const H = 3600;
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000);
const base: TtlInput = {
  incrementSeconds: 0,
  backendTtlSeconds: 0,
  backendMaxTtlSeconds: 0,
  mountDefaultSeconds: 768 * H,
  mountMaxSeconds: 768 * H,
  now: NOW,
};

// name, input, ttl, max, warnings
const CASES: Array<[string, Partial<TtlInput>, number, number, string[]]> = [
  ["nothing set: the mount default", {}, 768 * H, 768 * H, []],
  ["role ttl wins over the mount default", { backendTtlSeconds: H }, H, 768 * H, []],
  [
    "requested ttl wins over the role ttl",
    { incrementSeconds: 2 * H, backendTtlSeconds: H },
    2 * H,
    768 * H,
    [],
  ],
  [
    "requested ttl above the role max is capped with a warning",
    { incrementSeconds: 10 * H, backendMaxTtlSeconds: 2 * H },
    2 * H,
    2 * H,
    ['TTL of "10h" exceeded the effective max_ttl of "2h"; TTL value is capped accordingly'],
  ],
  [
    "role ttl above the role max is capped",
    { backendTtlSeconds: 5 * H, backendMaxTtlSeconds: 2 * H },
    2 * H,
    2 * H,
    ['TTL of "5h" exceeded the effective max_ttl of "2h"; TTL value is capped accordingly'],
  ],
  [
    "mount max caps the role max",
    { backendTtlSeconds: 5 * H, backendMaxTtlSeconds: 10 * H, mountMaxSeconds: 3 * H },
    3 * H,
    3 * H,
    ['TTL of "5h" exceeded the effective max_ttl of "3h"; TTL value is capped accordingly'],
  ],
  [
    "mount max caps the mount default",
    { mountDefaultSeconds: 10 * H, mountMaxSeconds: 4 * H },
    4 * H,
    4 * H,
    ['TTL of "10h" exceeded the effective max_ttl of "4h"; TTL value is capped accordingly'],
  ],
  [
    "role max above the mount max is ignored",
    { backendMaxTtlSeconds: 1000 * H },
    768 * H,
    768 * H,
    [],
  ],
  [
    "requested ttl equal to the max is no warning",
    { incrementSeconds: 2 * H, backendMaxTtlSeconds: 2 * H },
    2 * H,
    2 * H,
    [],
  ],
  [
    "explicit max caps like a role max",
    { backendTtlSeconds: 5 * H, explicitMaxTtlSeconds: H },
    H,
    H,
    ['TTL of "5h" exceeded the effective max_ttl of "1h"; TTL value is capped accordingly'],
  ],
  [
    "renewal is capped at issue time + max",
    { incrementSeconds: 2 * H, backendMaxTtlSeconds: 3 * H, issueTime: ago(2 * H) },
    H,
    3 * H,
    ['TTL of "2h" exceeded the effective max_ttl of "1h"; TTL value is capped accordingly'],
  ],
  [
    "renewal within the max is granted",
    { incrementSeconds: 30 * 60, backendMaxTtlSeconds: 3 * H, issueTime: ago(H) },
    30 * 60,
    3 * H,
    [],
  ],
  [
    "renewal without an increment uses the role ttl",
    { backendTtlSeconds: H, backendMaxTtlSeconds: 24 * H, issueTime: ago(H) },
    H,
    24 * H,
    [],
  ],
  [
    "renewal counts whole seconds, as Vault truncates times",
    {
      backendTtlSeconds: H,
      backendMaxTtlSeconds: H,
      now: new Date(NOW.getTime() + 500),
      issueTime: new Date(ago(1800).getTime() + 300),
    },
    1800,
    H,
    ['TTL of "1h" exceeded the effective max_ttl of "30m"; TTL value is capped accordingly'],
  ],
  [
    "Go's zero issue time counts as now",
    { backendTtlSeconds: H, issueTime: new Date(-62135596800000) },
    H,
    768 * H,
    [],
  ],
  [
    "a period wins and is capped by the max",
    { periodSeconds: 10 * H, backendTtlSeconds: H, mountMaxSeconds: 2 * H },
    2 * H,
    2 * H,
    ['period of "10h" exceeded the effective max_ttl of "2h"; period value is capped accordingly'],
  ],
];

Deno.test("calculateTtl follows Vault's CalculateTTL", async (t) => {
  assert.ok(CASES.length >= 12);
  for (const [name, input, ttl, max, warnings] of CASES) {
    await t.step(name, () => {
      assert.deepEqual(calculateTtl({ ...base, ...input }), {
        ttlSeconds: ttl,
        maxTtlSeconds: max,
        warnings,
      });
    });
  }
});

Deno.test("calculateTtl refuses to renew past the max TTL", () => {
  assert.throws(
    () => calculateTtl({ ...base, backendMaxTtlSeconds: H, issueTime: ago(2 * H) }),
    { message: "past the max TTL, cannot renew" },
  );
  assert.throws(
    () => calculateTtl({ ...base, backendMaxTtlSeconds: H, issueTime: ago(H) }),
    /past the max TTL/,
    "exactly at the max is past it",
  );
});

Deno.test("calculateTtl refuses a mount without a max TTL", () => {
  assert.throws(() => calculateTtl({ ...base, mountMaxSeconds: 0 }), {
    message: "max TTL must be greater than zero",
  });
});

Deno.test("computeLeaseTtl picks requested, then role, then mount TTL under the caps", async (t) => {
  const mount = { mountDefaultSeconds: 768 * H, mountMaxSeconds: 768 * H };
  const cases: Array<[string, number, number, number, number, number, number]> = [
    // name, requested, role ttl, role max, mount max, ttl, max
    ["ttl 0 falls back to the role ttl", 0, H, 2 * H, 768 * H, H, 2 * H],
    ["no role ttl falls back to the mount default", 0, 0, 0, 768 * H, 768 * H, 768 * H],
    ["requested within the role max", 1800, H, 2 * H, 768 * H, 1800, 2 * H],
    ["requested above the role max is capped", 5 * H, H, 2 * H, 768 * H, 2 * H, 2 * H],
    ["mount max caps the role max", 5 * H, H, 10 * H, 3 * H, 3 * H, 3 * H],
  ];
  for (const [name, requested, roleTtl, roleMax, mountMax, ttl, max] of cases) {
    await t.step(name, () => {
      const result = computeLeaseTtl({
        ...mount,
        mountMaxSeconds: mountMax,
        requestedSeconds: requested,
        roleTtlSeconds: roleTtl,
        roleMaxTtlSeconds: roleMax,
      });
      assert.equal(result.ttlSeconds, ttl);
      assert.equal(result.maxTtlSeconds, max);
      assert.equal(result.warnings.length > 0, requested > max || roleTtl > max);
    });
  }
});

Deno.test("humanDuration prints Go durations without zero parts, as Vault's warnings", () => {
  const cases: Array<[number, string, string]> = [
    [0, "0s", "0s"],
    [45, "45s", "45s"],
    [90, "1m30s", "1m30s"],
    [1800, "30m0s", "30m"],
    [3600, "1h0m0s", "1h"],
    [5400, "1h30m0s", "1h30m"],
    [3630, "1h0m30s", "1h30s"],
    [-60, "-1m0s", "-1m"],
  ];
  for (const [seconds, go, human] of cases) {
    assert.equal(formatGoDuration(seconds), go);
    assert.equal(humanDuration(seconds), human);
  }
});
