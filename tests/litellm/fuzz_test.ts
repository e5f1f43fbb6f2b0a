/** Random request data never crashes the engine: every refusal is a UserInputError. */
import assert from "node:assert/strict";
import { UserInputError } from "../../src/sdk/mod.ts";
import { request } from "../_helpers.ts";
import { newEngine, TEST_OPTIONS } from "./_setup.ts";

function rng(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

function randomValue(r: () => number, depth = 0): unknown {
  const pick = Math.floor(r() * 10);
  switch (pick) {
    case 0:
      return null;
    case 1:
      return r() > 0.5;
    case 2:
      return Math.floor(r() * 1e6) - 5e5;
    case 3:
      return r() * 1e20;
    case 4:
      return "x".repeat(Math.floor(r() * 5000));
    case 5:
      return ["1h", "-5", "0x10", "1.5d", "", "a=b", "m1,m2", "NaN", "☃"][Math.floor(r() * 9)];
    case 6:
      return depth > 20 ? [] : [randomValue(r, depth + 1), randomValue(r, depth + 1)];
    case 7:
      return depth > 20 ? {} : { k: randomValue(r, depth + 1) };
    case 8:
      return String.fromCharCode(...Array.from({ length: 20 }, () => Math.floor(r() * 65536)));
    default:
      return 1e300;
  }
}

const FIELDS = [
  "models",
  "max_budget",
  "ttl",
  "max_ttl",
  "metadata",
  "tpm_limit",
  "rpm_limit",
  "tags",
  "budget_duration",
  "key_alias_prefix",
  "team_id",
];

Deno.test({
  name: "fuzzed role writes are either stored valid or refused with a UserInputError",
  ...TEST_OPTIONS,
  async fn() {
    const e = await newEngine();
    const r = rng(42);
    let refused = 0;
    try {
      for (let i = 0; i < 300; i++) {
        const data: Record<string, unknown> = {};
        for (const field of FIELDS) if (r() < 0.4) data[field] = randomValue(r);
        try {
          await request(e, "update", `roles/fuzz${i}`, data);
          const stored = (await request(e, "read", `roles/fuzz${i}`))?.data as {
            models: string[];
            max_budget: number | null;
          };
          assert.ok(stored.models.length > 0 && stored.models.every((m) => m !== ""));
          assert.ok(stored.max_budget === null || stored.max_budget >= 0);
        } catch (error) {
          assert.ok(
            error instanceof UserInputError,
            `${(error as Error).name}: ${(error as Error).message}`,
          );
          refused++;
          assert.equal(await request(e, "read", `roles/fuzz${i}`), undefined);
        }
      }
      assert.ok(refused > 100, `only ${refused} refusals: the fuzzer is too tame`);
    } finally {
      await e.mock.close();
    }
  },
});
