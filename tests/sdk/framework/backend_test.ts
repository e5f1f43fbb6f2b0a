import assert from "node:assert/strict";
import { z } from "zod";
import {
  readJson,
  UnsupportedOperationError,
  UnsupportedPathError,
  UserInputError,
} from "../../../src/sdk/mod.ts";
import { makeRequest, request } from "../../_helpers.ts";
import { newBackend } from "./_backend_fixture.ts";

Deno.test("createBackend routes writes through the existence check: create, then update", async () => {
  const t = await newBackend();
  assert.equal(await request(t, "update", "things/a", { size: "5", ttl: "1h" }), undefined);
  assert.deepEqual((await request(t, "read", "things/a"))?.data, {
    size: 5,
    ttl: 3600,
    by: "create",
  });
  assert.deepEqual((await request(t, "update", "things/a", { size: 6 }))?.data, { written: true });
  assert.deepEqual((await request(t, "read", "things/a"))?.data, { size: 6, by: "update" });
});

Deno.test("createBackend falls back from create to update when a path has no create", async () => {
  const t = await newBackend();
  const check = await t.backend.handleExistenceCheck(makeRequest(t, "update", "settings"));
  assert.deepEqual(check, { checkFound: true, exists: false });
  await t.backend.handleRequest(makeRequest(t, "create", "settings", { level: 2 }));
  assert.deepEqual(await readJson(t.storage, "settings", z.object({ level: z.number() })), {
    level: 2,
  });
});

Deno.test("createBackend rejects a bad field with a UserInputError naming it, storing nothing", async () => {
  const t = await newBackend();
  for (
    const [data, field, reason] of [
      [{ size: "big" }, "size", /^Invalid field "size": expected an integer, got "big"$/],
      [{ ttl: "abc" }, "ttl", /^Invalid field "ttl": cannot parse "abc" as a duration/],
      [{ color: "green" }, "color", /must be one of "red", "blue"/],
    ] as const
  ) {
    await assert.rejects(request(t, "update", "things/a", data), (e: unknown) => {
      assert.ok(e instanceof UserInputError);
      assert.equal(e.field, field);
      assert.match(e.message, reason);
      return true;
    });
    // The handler itself refuses too, when the host skips the existence check.
    await assert.rejects(
      t.backend.handleRequest(makeRequest(t, "create", "things/a", data)),
      UserInputError,
    );
  }
  assert.equal(t.storage.entries.size, 0);
});

Deno.test("createBackend adds Go's warnings to a response, and never invents one", async () => {
  const t = await newBackend();
  await request(t, "update", "things/a", {});
  const response = await request(t, "update", "things/a", { name: "b", bogus: 1, alpha: 2 });
  assert.deepEqual(response?.warnings, [
    "Endpoint ignored these unrecognized parameters: [alpha bogus]",
    "Endpoint replaced the value of these parameters with the values captured from the " +
    "endpoint's path: [name]",
  ]);
  assert.equal(await t.storage.get("things/b"), undefined, "the path's name won");
  // create answers nothing: the warnings go with it, as in Go, and the 204 stays a 204.
  assert.equal(await request(t, "update", "things/c", { bogus: 1 }), undefined);
});

Deno.test("createBackend reports unknown paths and unsupported operations with typed errors", async () => {
  const t = await newBackend();
  await assert.rejects(
    t.backend.handleRequest(makeRequest(t, "read", "nope")),
    UnsupportedPathError,
  );
  await assert.rejects(
    t.backend.handleRequest(makeRequest(t, "delete", "things/a")),
    UnsupportedOperationError,
  );
  await assert.rejects(
    t.backend.handleRequest(makeRequest(t, "alias-lookahead", "things/a")),
    UnsupportedOperationError,
  );
});

Deno.test("createBackend serves list requests with their trailing slash", async () => {
  const t = await newBackend();
  await request(t, "update", "things/a", {});
  await request(t, "update", "things/b", {});
  const listed = await t.backend.handleRequest(makeRequest(t, "list", "things/"));
  assert.deepEqual(listed?.data, { keys: ["a", "b"] });
});

Deno.test("handleExistenceCheck follows Go's rules", async () => {
  const t = await newBackend();
  await assert.rejects(
    t.backend.handleExistenceCheck(makeRequest(t, "read", "things/a")),
    /incorrect operation type read for an existence check/,
  );
  await assert.rejects(
    t.backend.handleExistenceCheck(makeRequest(t, "update", "nope")),
    UnsupportedPathError,
  );
  assert.deepEqual(await t.backend.handleExistenceCheck(makeRequest(t, "update", "issue")), {
    checkFound: false,
    exists: false,
  });
  await assert.rejects(
    t.backend.handleExistenceCheck(makeRequest(t, "update", "things/a", { size: "x" })),
    { name: "UserInputError", message: 'Invalid field "size": expected an integer, got "x"' },
  );
  await request(t, "update", "things/a", {});
  assert.deepEqual(await t.backend.handleExistenceCheck(makeRequest(t, "create", "things/a")), {
    checkFound: true,
    exists: true,
  });
});

Deno.test("createBackend answers root help with every path in an OpenAPI document", async () => {
  const t = await newBackend();
  const response = await t.backend.handleRequest(
    makeRequest(t, "help", "", { requestResponsePrefix: "test" }),
  );
  assert.deepEqual(Object.keys(response!.data!), ["help", "see_also", "openapi"]);
  const doc = response?.data?.openapi as { paths: Record<string, Record<string, unknown>> };
  assert.deepEqual(Object.keys(doc.paths), ["/things/{name}", "/settings", "/things", "/issue"]);
  assert.equal(
    (doc.paths["/things/{name}"].get as { operationId: string }).operationId,
    "test-read-things-name",
  );
  assert.match(String(response?.data?.help), /^## DESCRIPTION\n\nTest backend\n/);
});

Deno.test("createBackend answers path help, and refuses help on an unknown path", async () => {
  const t = await newBackend();
  const response = await t.backend.handleRequest(makeRequest(t, "help", "things/x"));
  assert.match(String(response?.data?.help), /^Request: {8}things\/x\n/);
  assert.match(String(response?.data?.help), / {4}size \(int\)\n/);
  const doc = response?.data?.openapi as { paths: Record<string, unknown> };
  assert.deepEqual(Object.keys(doc.paths), ["/things/{name}"]);
  await assert.rejects(
    t.backend.handleRequest(makeRequest(t, "help", "nope")),
    UnsupportedPathError,
  );
});
