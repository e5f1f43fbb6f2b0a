/** Every bad input is a 400 naming the field, and nothing is stored or created at LiteLLM. */
import assert from "node:assert/strict";
import { UserInputError } from "../../src/sdk/mod.ts";
import { request } from "../_helpers.ts";
import { newEngine, TEST_OPTIONS } from "./_setup.ts";

type Case = [name: string, path: string, data: Record<string, unknown>, field: string];

const CASES: Case[] = [
  [
    "config: base_url not a URL",
    "config",
    { base_url: "not a url", master_key: "sk-1" },
    "base_url",
  ],
  [
    "config: base_url ftp scheme",
    "config",
    { base_url: "ftp://x", master_key: "sk-1" },
    "base_url",
  ],
  [
    "config: base_url with credentials",
    "config",
    { base_url: "http://u:p@x", master_key: "sk-1" },
    "base_url",
  ],
  [
    "config: base_url with a query",
    "config",
    { base_url: "http://x/?a=1", master_key: "sk-1" },
    "base_url",
  ],
  ["config: base_url empty", "config", { base_url: "" }, "base_url"],
  ["config: master_key empty", "config", { master_key: "" }, "master_key"],
  [
    "config: master_key a list",
    "config",
    { base_url: "http://x", master_key: ["sk"] },
    "master_key",
  ],
  ["config: tls_skip_verify true", "config", {
    base_url: "http://x",
    master_key: "sk-1",
    tls_skip_verify: true,
  }, "tls_skip_verify"],
  ["config: tls_skip_verify not a bool", "config", {
    base_url: "http://x",
    master_key: "sk-1",
    tls_skip_verify: "maybe",
  }, "tls_skip_verify"],
  ["config: tls_ca_cert not PEM", "config", {
    base_url: "http://x",
    master_key: "sk-1",
    tls_ca_cert: "hello",
  }, "tls_ca_cert"],
  ["config: request_timeout words", "config", {
    base_url: "http://x",
    master_key: "sk-1",
    request_timeout: "soon",
  }, "request_timeout"],
  ["config: request_timeout too long", "config", {
    base_url: "http://x",
    master_key: "sk-1",
    request_timeout: "1h",
  }, "request_timeout"],
  ["config: verify_connection an object", "config", {
    base_url: "http://x",
    master_key: "sk-1",
    verify_connection: {},
  }, "verify_connection"],
  ["role: no models", "roles/r", { max_budget: 1 }, "models"],
  ["role: empty model name", "roles/r", { models: "a,,b" }, "models"],
  ["role: models an object", "roles/r", { models: { a: 1 } }, "models"],
  ["role: negative max_budget", "roles/r", { models: "m", max_budget: -1 }, "max_budget"],
  ["role: max_budget words", "roles/r", { models: "m", max_budget: "lots" }, "max_budget"],
  ["role: ttl words", "roles/r", { models: "m", ttl: "forever" }, "ttl"],
  ["role: negative ttl", "roles/r", { models: "m", ttl: "-1h" }, "ttl"],
  ["role: ttl above max_ttl", "roles/r", { models: "m", ttl: "2h", max_ttl: "1h" }, "ttl"],
  ["role: max_ttl a list", "roles/r", { models: "m", max_ttl: [1] }, "max_ttl"],
  [
    "role: bad key_alias_prefix",
    "roles/r",
    { models: "m", key_alias_prefix: "-bad prefix" },
    "key_alias_prefix",
  ],
  ["role: reserved metadata", "roles/r", { models: "m", metadata: "vault_role=x" }, "metadata"],
  ["role: metadata without =", "roles/r", { models: "m", metadata: ["novalue"] }, "metadata"],
  [
    "role: budget_duration words",
    "roles/r",
    { models: "m", budget_duration: "monthly" },
    "budget_duration",
  ],
  ["role: tpm_limit zero", "roles/r", { models: "m", tpm_limit: 0 }, "tpm_limit"],
  ["role: rpm_limit words", "roles/r", { models: "m", rpm_limit: "many" }, "rpm_limit"],
  [
    "role: max_parallel_requests negative",
    "roles/r",
    { models: "m", max_parallel_requests: -2 },
    "max_parallel_requests",
  ],
  ["role: empty tag", "roles/r", { models: "m", tags: "a,,b" }, "tags"],
  [
    "role: key_alias_prefix too long",
    "roles/r",
    { models: "m", key_alias_prefix: "p".repeat(65) },
    "key_alias_prefix",
  ],
  ["creds: unknown role", "creds/nope", {}, "name"],
  ["creds: ttl words", "creds/dev", { ttl: "a while" }, "ttl"],
  ["creds: negative ttl", "creds/dev", { ttl: -5 }, "ttl"],
];

Deno.test({
  name: "the engine answers every bad input with a 400 naming the field and changes nothing",
  ...TEST_OPTIONS,
  async fn(t) {
    assert.ok(CASES.length >= 25);
    const e = await newEngine();
    try {
      const before = new Map(e.storage.entries);
      const keysBefore = e.mock.keys.size;
      for (const [name, path, data, field] of CASES) {
        await t.step(name, async () => {
          const operation = path.startsWith("creds/") ? "read" : "update";
          await assert.rejects(request(e, operation, path, data), (err: Error) => {
            if (!(err instanceof UserInputError)) throw err;
            assert.equal(err.field, field, err.message);
            assert.ok(err.message.length > 10);
            return true;
          });
          assert.deepEqual([...e.storage.entries.keys()].sort(), [...before.keys()].sort());
          assert.equal(e.mock.keys.size, keysBefore);
        });
      }
    } finally {
      await e.mock.close();
    }
  },
});
