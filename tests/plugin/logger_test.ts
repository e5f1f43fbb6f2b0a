import assert from "node:assert/strict";
import { createHclogLogger, hclogTimestamp, levelFromEnv } from "../../src/plugin/logger.ts";

Deno.test("createHclogLogger writes hclog JSON lines the host can parse", () => {
  const lines: string[] = [];
  const logger = createHclogLogger({
    level: "info",
    module: "m",
    write: (l) => lines.push(l),
    now: () => new Date("2026-11-23T10:11:12.123Z"),
  })
    .with({ mount: "litellm" });
  logger.debug("hidden");
  logger.info("issued key", { role: "dev", ttl_seconds: 60 });
  assert.equal(lines.length, 1);
  assert.ok(lines[0].endsWith("\n"));
  const line = JSON.parse(lines[0]);
  assert.deepEqual(line, {
    mount: "litellm",
    role: "dev",
    ttl_seconds: 60,
    "@level": "info",
    "@message": "issued key",
    "@module": "m",
    "@timestamp": "2026-11-23T10:11:12.123000Z",
  });
  assert.match(line["@timestamp"], /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
});

Deno.test("createHclogLogger never writes values of secret-looking fields", () => {
  const lines: string[] = [];
  const logger = createHclogLogger({ level: "trace", write: (l) => lines.push(l) });
  logger.error("oops", {
    master_key: "sk-master-1",
    key: "sk-abc",
    nested: { api_key: "sk-x", token: "t" },
    role: "dev",
  });
  assert.doesNotMatch(lines[0], /sk-master-1|sk-abc|sk-x|"t"/);
  assert.match(lines[0], /"role":"dev"/);
});

Deno.test("hclogTimestamp and levelFromEnv", () => {
  assert.equal(hclogTimestamp(new Date("2026-01-01T00:00:00Z")), "2026-01-01T00:00:00.000000Z");
  assert.equal(levelFromEnv("DEBUG"), "debug");
  assert.equal(levelFromEnv("loud"), "info");
});
