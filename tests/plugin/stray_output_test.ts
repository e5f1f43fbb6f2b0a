import assert from "node:assert/strict";
import { createHclogLogger } from "../../src/plugin/logger.ts";
import { captureStrayOutput } from "../../src/plugin/stray_output.ts";

function setup() {
  const lines: Record<string, unknown>[] = [];
  const logger = createHclogLogger({
    level: "trace",
    write: (line) => lines.push(JSON.parse(line)),
  });
  return { lines, restore: captureStrayOutput(logger) };
}

Deno.test("captureStrayOutput turns console output into hclog lines", () => {
  const { lines, restore } = setup();
  try {
    console.log("hello %s", "world");
    console.error("bad", 42);
    console.warn("careful");
  } finally {
    restore();
  }
  assert.deepEqual(lines.map((l) => [l["@level"], l["@message"]]), [
    ["info", "hello world"],
    ["error", "bad 42"],
    ["warn", "careful"],
  ]);
});

Deno.test("captureStrayOutput logs uncaught errors and rejections as error lines", () => {
  const { lines, restore } = setup();
  try {
    const error = new Error("boom sk-secretvalue123");
    const uncaught = new ErrorEvent("error", { error, message: error.message, cancelable: true });
    globalThis.dispatchEvent(uncaught);
    assert.ok(uncaught.defaultPrevented, "the process would exit");
    const promise = Promise.resolve();
    const rejection = new PromiseRejectionEvent("unhandledrejection", {
      promise,
      reason: "plain reason",
      cancelable: true,
    });
    globalThis.dispatchEvent(rejection);
    assert.ok(rejection.defaultPrevented, "the process would exit");
  } finally {
    restore();
  }
  assert.equal(lines.length, 2);
  assert.equal(lines[0]["@level"], "error");
  assert.equal(lines[0]["@message"], "uncaught exception");
  assert.equal(lines[0].error, "boom [redacted]");
  assert.match(String(lines[0].stack), /stray_output_test\.ts/);
  assert.doesNotMatch(JSON.stringify(lines[0]), /secretvalue/);
  assert.equal(lines[1]["@message"], "unhandled promise rejection");
  assert.equal(lines[1].error, "plain reason");
});

Deno.test("captureStrayOutput's restore puts the console back", () => {
  const before = console.log;
  const { restore } = setup();
  assert.notEqual(console.log, before);
  restore();
  assert.equal(console.log, before);
});
