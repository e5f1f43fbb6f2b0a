import assert from "node:assert/strict";
import {
  compilePattern,
  groupNames,
  mergeRequestData,
  mergeWarnings,
  Router,
} from "../../../src/sdk/framework/router.ts";
import { definePath, GENERIC_NAME, type Path } from "../../../src/sdk/framework/path.ts";

function path(pattern: string, fields: Path["fields"] = {}, extra: Partial<Path> = {}): Path {
  return definePath({
    pattern,
    fields,
    operations: { read: { callback: async () => undefined } },
    helpSynopsis: pattern,
    helpDescription: pattern,
    ...extra,
  });
}

const NAME = { name: { type: "name", description: "Name" } } as const;

Deno.test("Router anchors patterns at both ends", () => {
  const router = new Router([path("config")]);
  assert.ok(router.match("config"));
  assert.equal(router.match("config/extra"), undefined);
  assert.equal(router.match("my-config"), undefined);
});

Deno.test("Router tries paths in order and returns the first match with its captures", () => {
  const first = path(`roles/${GENERIC_NAME("name")}`, NAME);
  const second = path("roles/(?<name>.*)", NAME);
  const router = new Router([first, second]);
  assert.deepEqual(router.match("roles/dev"), { path: first, captures: { name: "dev" } });
  assert.equal(router.match("roles/a/b")?.path, second);
});

Deno.test("Router accepts Go's (?P<name>) groups and explicit anchors", () => {
  const router = new Router([path("^creds/(?P<name>\\w+)$", NAME)]);
  assert.deepEqual(router.match("creds/x")?.captures, { name: "x" });
  assert.equal(compilePattern("^a$").source, "^a$");
  assert.equal(compilePattern("price\\$").source, "^price\\$$");
});

Deno.test("Router gives a group that did not take part an empty capture, as Go does", () => {
  const router = new Router([path("roles/?(?<name>\\w+)?", NAME)]);
  assert.deepEqual(router.match("roles")?.captures, { name: "" });
});

Deno.test("Router retries a list request without its trailing slash", () => {
  const roles = path("roles", {}, { operations: { list: { callback: async () => undefined } } });
  const router = new Router([roles]);
  assert.equal(router.match("roles/", "list")?.path, roles);
  assert.equal(router.match("roles/", "scan")?.path, roles);
  assert.equal(router.match("roles/", "read"), undefined, "only list and scan are retried");
  assert.equal(router.match("roles//", "list"), undefined);
});

Deno.test("Router refuses malformed declarations when the backend is built", () => {
  assert.throws(() => new Router([path("")]), /Routing pattern cannot be blank/);
  assert.throws(
    () => new Router([path(`roles/${GENERIC_NAME("name")}`)]),
    /captures "name", which is not a field/,
  );
  assert.throws(() => new Router([path("roles/(")]), SyntaxError);
  const createOnly = path("things", {}, {
    operations: { create: { callback: async () => undefined } },
  });
  assert.throws(() => new Router([createOnly]), /defines create but no existenceCheck/);
  const badDefault = path("x", { ttl: { type: "duration", description: "", default: "soon" } });
  assert.throws(
    () => new Router([badDefault]),
    /Pattern "x", field "ttl": default "soon" is not a valid duration/,
  );
});

Deno.test("groupNames lists named groups and skips lookbehinds", () => {
  assert.deepEqual(groupNames(`a/(?<x>\\w+)/(?P<y>.*)/(?<=z)(?<!w)`), ["x", "y"]);
});

Deno.test("mergeRequestData lets captures win and lists ignored and replaced fields", () => {
  const p = path(`roles/${GENERIC_NAME("name")}`, {
    ...NAME,
    ttl: { type: "int", description: "" },
  });
  const merged = mergeRequestData(p, { name: "other", ttl: 1, zeta: 1, alpha: 2 }, { name: "dev" });
  assert.deepEqual(merged, {
    raw: { name: "dev", ttl: 1, zeta: 1, alpha: 2 },
    ignored: ["alpha", "zeta"],
    replaced: ["name"],
  });
  assert.deepEqual(mergeWarnings(merged), [
    "Endpoint ignored these unrecognized parameters: [alpha zeta]",
    "Endpoint replaced the value of these parameters with the values captured from the " +
    "endpoint's path: [name]",
  ]);
});

Deno.test("mergeRequestData replaces silently when the body value is null or absent", () => {
  const p = path(`roles/${GENERIC_NAME("name")}`, NAME);
  assert.deepEqual(mergeRequestData(p, { name: null }, { name: "dev" }).replaced, []);
  assert.deepEqual(mergeWarnings(mergeRequestData(p, {}, { name: "dev" })), []);
});

Deno.test("mergeRequestData does not warn for a path that takes arbitrary input", () => {
  const p = path("kv", {}, { takesArbitraryInput: true });
  const merged = mergeRequestData(p, { anything: 1 }, {});
  assert.deepEqual(merged.ignored, []);
  assert.deepEqual(merged.raw, { anything: 1 });
});
