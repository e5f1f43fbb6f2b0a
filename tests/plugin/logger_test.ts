import assert from "node:assert/strict";
import {
  createHclogLogger,
  hclogTimestamp,
  type Level,
  levelFromEnv,
  redact,
  REDACTED,
} from "../../src/plugin/logger.ts";

function capture(level: Level = "trace") {
  const lines: string[] = [];
  const logger = createHclogLogger({
    level,
    module: "m",
    write: (line) => lines.push(line),
    now: () => new Date("2026-11-23T10:11:12.123Z"),
  });
  return { logger, lines, parsed: () => lines.map((l) => JSON.parse(l)) };
}

Deno.test("createHclogLogger writes one hclog JSON object per line", () => {
  const { logger, lines } = capture("info");
  logger.with({ mount: "litellm/" }).info("issued key", { role: "dev", ttl_seconds: 60 });
  assert.equal(lines.length, 1);
  assert.ok(lines[0].endsWith("}\n") && !lines[0].slice(0, -1).includes("\n"));
  assert.deepEqual(JSON.parse(lines[0]), {
    mount: "litellm/",
    role: "dev",
    ttl_seconds: 60,
    "@level": "info",
    "@message": "issued key",
    "@module": "m",
    "@timestamp": "2026-11-23T10:11:12.123000Z",
  });
});

Deno.test("createHclogLogger writes the levels hclog knows, from the threshold up", () => {
  const { logger, parsed } = capture("debug");
  logger.trace("t");
  logger.debug("d");
  logger.info("i");
  logger.warn("w");
  logger.error("e");
  assert.deepEqual(parsed().map((l) => [l["@level"], l["@message"]]), [
    ["debug", "d"],
    ["info", "i"],
    ["warn", "w"],
    ["error", "e"],
  ]);
});

Deno.test("createHclogLogger keeps the @ keys strings even when fields try to replace them", () => {
  const { logger, parsed } = capture();
  logger.info(42 as unknown as string, { "@message": 7, "@level": null, "@timestamp": 1 });
  const [line] = parsed();
  for (const key of ["@level", "@message", "@module", "@timestamp"]) {
    assert.equal(typeof line[key], "string", key);
  }
  assert.equal(line["@message"], "42");
  assert.match(line["@timestamp"], /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
});

Deno.test("createHclogLogger never throws on values JSON cannot take", () => {
  const { logger, parsed } = capture();
  const loop: Record<string, unknown> = { name: "a" };
  loop.self = loop;
  logger.info("odd values", {
    big: 2n ** 70n,
    loop,
    bytes: new Uint8Array(3),
    error: new Error("it broke"),
    nan: NaN,
    fn: () => 1,
  });
  const [line] = parsed();
  assert.equal(line.big, "1180591620717411303424");
  assert.deepEqual(line.loop, { name: "a", self: "[circular]" });
  assert.equal(line.bytes, "[3 bytes]");
  assert.equal(line.error, "it broke");
  assert.equal(line.nan, "NaN");
  assert.ok(!("fn" in line));
});

Deno.test("createHclogLogger never writes values of secret-named fields", () => {
  const { logger, lines } = capture();
  logger.with({ token: "hvs-parent-token-value" }).error("oops", {
    master_key: "master-secret-1",
    key: "plain-key-2",
    masterKey: "camel-3",
    nested: { api_key: "nested-4", list: [{ password: "pw-5" }], secret_id: "sid-6" },
    Authorization: "auth-7",
    virtual_key: "vk-8",
    keys: ["k-9"],
    key_alias: "vault-dev-1",
    role: "dev",
  });
  for (const secret of ["hvs-parent", "master-secret-1", "plain-key-2", "camel-3", "nested-4"]) {
    assert.ok(!lines[0].includes(secret), `${secret} was written`);
  }
  for (const secret of ["pw-5", "sid-6", "auth-7", "vk-8", "k-9"]) {
    assert.ok(!lines[0].includes(secret), `${secret} was written`);
  }
  const line = JSON.parse(lines[0]);
  assert.equal(line.master_key, REDACTED);
  assert.deepEqual(line.nested.list, [{ password: REDACTED }]);
  assert.equal(line.key_alias, "vault-dev-1");
  assert.equal(line.role, "dev");
});

Deno.test("createHclogLogger removes key-shaped text from messages and values", () => {
  const { logger, lines } = capture();
  logger.error("LiteLLM said: invalid key sk-1234abcdEFGH_ij", {
    error: new Error("401 for Bearer abc.def.ghi"),
    detail: "token hvs.CAESIJ0123456789abcdefghijklmn in use",
  });
  assert.doesNotMatch(lines[0], /sk-1234|abc\.def|hvs\.CAES/);
  const line = JSON.parse(lines[0]);
  assert.equal(line["@message"], `LiteLLM said: invalid key ${REDACTED}`);
  assert.equal(line.error, `401 for Bearer ${REDACTED}`);
});

Deno.test("redact caps long strings and deep nesting", () => {
  const deep = { a: { b: { c: { d: { e: { f: { g: 1 } } } } } } };
  const out = redact({ long: "x".repeat(10_000), deep }) as {
    long: string;
    deep: Record<string, unknown>;
  };
  assert.ok(out.long.length < 4200 && out.long.endsWith("...(truncated)"));
  assert.match(JSON.stringify(out.deep), /nested too deep/);
});

Deno.test("createHclogLogger swallows a failing writer", () => {
  const logger = createHclogLogger({
    write: () => {
      throw new Error("EPIPE");
    },
  });
  logger.error("still fine");
});

Deno.test("hclogTimestamp has exactly six fractional digits in UTC", () => {
  assert.equal(hclogTimestamp(new Date("2026-01-01T00:00:00Z")), "2026-01-01T00:00:00.000000Z");
  assert.equal(
    hclogTimestamp(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6))),
    "2026-01-02T03:04:05.006000Z",
  );
});

Deno.test("levelFromEnv prefers our variable, then the engine's", async (t) => {
  const cases: [string, Record<string, string>, Level][] = [
    ["nothing set", {}, "info"],
    ["ours", { LITELLM_PLUGIN_LOG_LEVEL: "DEBUG" }, "debug"],
    ["OpenBao's", { BAO_LOG_LEVEL: "trace" }, "trace"],
    ["Vault's", { VAULT_LOG_LEVEL: "warn" }, "warn"],
    ["Vault's aliases", { VAULT_LOG_LEVEL: "warning" }, "warn"],
    ["err", { VAULT_LOG_LEVEL: "err" }, "error"],
    ["ours wins", { LITELLM_PLUGIN_LOG_LEVEL: "error", VAULT_LOG_LEVEL: "trace" }, "error"],
    [
      "unknown values are skipped",
      { LITELLM_PLUGIN_LOG_LEVEL: "loud", BAO_LOG_LEVEL: "debug" },
      "debug",
    ],
  ];
  for (const [name, env, expected] of cases) {
    await t.step(name, () => assert.equal(levelFromEnv(env), expected));
  }
});
