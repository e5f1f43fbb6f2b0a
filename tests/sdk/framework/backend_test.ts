import assert from "node:assert/strict";
import {
  createBackend,
  definePath,
  GENERIC_NAME,
  listWal,
  putWal,
  secretResponse,
  type SecretType,
  UnsupportedOperationError,
  UnsupportedPathError,
  UserInputError,
} from "../../../src/sdk/mod.ts";
import { makeRequest, newTestBackend, request } from "../../_helpers.ts";

const NOW = new Date("2026-11-23T12:00:00Z");
const rolledBack: unknown[] = [];
const secret: SecretType = {
  type: "thing",
  renew: async (req) => ({ secret: req.secret, data: { renewed: true } }),
  revoke: async () => undefined,
};

const things = definePath({
  pattern: `things/${GENERIC_NAME("name")}`,
  fields: {
    name: { type: "name", description: "Name" },
    size: { type: "int", description: "Size", default: 3 },
    ttl: { type: "duration", description: "TTL" },
    color: { type: "string", description: "Color", allowedValues: ["red", "blue"] },
    secret_value: { type: "string", description: "Secret", sensitive: true },
  },
  existenceCheck: async (req, data) =>
    (await req.storage.get(`things/${data.get("name")}`)) !== undefined,
  operations: {
    read: {
      callback: async (req, data) => {
        const entry = await req.storage.get(`things/${data.get("name")}`);
        return entry ? { data: JSON.parse(new TextDecoder().decode(entry.value)) } : undefined;
      },
    },
    create: {
      callback: async (req, data) => {
        await req.storage.put({
          key: `things/${data.get("name")}`,
          value: new TextEncoder().encode(
            JSON.stringify({ size: data.get("size"), ttl: data.get("ttl"), created: true }),
          ),
        });
        return undefined;
      },
    },
    update: {
      callback: async (req, data) => {
        await req.storage.put({
          key: `things/${data.get("name")}`,
          value: new TextEncoder().encode(
            JSON.stringify({ size: data.get("size"), updated: true }),
          ),
        });
        return undefined;
      },
    },
  },
  helpSynopsis: "Things",
  helpDescription: "Manages things.",
});

const lease = definePath({
  pattern: "lease",
  fields: {},
  operations: {
    read: {
      callback: async () =>
        secretResponse(secret, { a: 1 }, { id: "x" }, { ttlSeconds: 60, maxTtlSeconds: 120 }),
    },
  },
  helpSynopsis: "Lease",
  helpDescription: "Issues a lease.",
});

const make = (config: Parameters<typeof createBackend>[1]) =>
  createBackend({
    help: "Test backend",
    paths: [things, lease],
    secrets: [secret],
    clock: () => NOW,
    walRollback: async (_req, kind, data) => {
      if (kind === "fail") throw new Error("cannot undo");
      rolledBack.push(data);
    },
  }, config);

Deno.test("createBackend routes writes through the existence check: create, then update", async () => {
  const t = await newTestBackend(make);
  await request(t, "update", "things/a", { size: "5", ttl: "1h" });
  assert.deepEqual((await request(t, "read", "things/a"))?.data, {
    size: 5,
    ttl: 3600,
    created: true,
  });
  await request(t, "update", "things/a", { size: 6 });
  assert.deepEqual((await request(t, "read", "things/a"))?.data, { size: 6, updated: true });
});

Deno.test("createBackend rejects a bad field with a UserInputError naming it, storing nothing", async () => {
  const t = await newTestBackend(make);
  await assert.rejects(request(t, "update", "things/a", { size: "big" }), (e: UserInputError) => {
    assert.ok(e instanceof UserInputError);
    assert.equal(e.field, "size");
    assert.match(e.message, /^Invalid field "size": expected an integer/);
    return true;
  });
  await assert.rejects(
    request(t, "update", "things/a", { color: "green" }),
    /must be one of "red", "blue"/,
  );
  assert.equal(t.storage.entries.size, 0);
});

Deno.test("createBackend warns about unknown and path-overridden parameters", async () => {
  const t = await newTestBackend(make);
  const response = await request(t, "update", "things/a", { name: "b", bogus: 1 });
  assert.deepEqual(response?.warnings, [
    "Endpoint replaced the value of these parameters with the values captured from the endpoint's path: [name]",
    "Endpoint ignored these unrecognized parameters: [bogus]",
  ]);
});

Deno.test("createBackend reports unknown paths and unsupported operations with typed errors", async () => {
  const t = await newTestBackend(make);
  await assert.rejects(
    t.backend.handleRequest(makeRequest(t, "read", "nope")),
    UnsupportedPathError,
  );
  await assert.rejects(
    t.backend.handleRequest(makeRequest(t, "delete", "things/a")),
    UnsupportedOperationError,
  );
  assert.deepEqual(await t.backend.handleExistenceCheck(makeRequest(t, "update", "lease")), {
    checkFound: false,
    exists: false,
  });
});

Deno.test("createBackend answers root help with every path in an OpenAPI document", async () => {
  const t = await newTestBackend(make);
  const response = await t.backend.handleRequest(
    makeRequest(t, "help", "", { requestResponsePrefix: "test" }),
  );
  const doc = response?.data?.openapi as { paths: Record<string, Record<string, unknown>> };
  assert.deepEqual(Object.keys(doc.paths), ["/things/{name}", "/lease"]);
  const item = doc.paths["/things/{name}"];
  assert.equal(item["x-vault-createSupported"], true);
  const body = (item.post as {
    requestBody: {
      content: Record<
        string,
        { schema: { properties: Record<string, Record<string, unknown>> } }
      >;
    };
  })
    .requestBody.content["application/json"].schema.properties;
  assert.deepEqual(body.ttl, { type: "string", format: "duration", description: "TTL" });
  assert.deepEqual(body.secret_value["x-vault-displayAttrs"], { sensitive: true });
  assert.match(String(response?.data?.help), /things\/\(\?<name>/);
});

Deno.test("createBackend answers path help with the path's fields", async () => {
  const t = await newTestBackend(make);
  const response = await t.backend.handleRequest(makeRequest(t, "help", "things/x"));
  assert.match(String(response?.data?.help), /size \(int\)/);
  assert.match(String(response?.data?.help), /secret_value \(string, write-only\)/);
});

Deno.test("createBackend dispatches renew and revoke on secret_type", async () => {
  const t = await newTestBackend(make);
  const issued = await request(t, "read", "lease");
  assert.equal(issued?.secret?.internalData.secret_type, "thing");
  const renewed = await t.backend.handleRequest(
    makeRequest(t, "renew", "lease", {}, { secret: issued!.secret }),
  );
  assert.deepEqual(renewed?.data, { renewed: true });
  await assert.rejects(
    t.backend.handleRequest(
      makeRequest(t, "revoke", "lease", {}, { secret: { ...issued!.secret!, internalData: {} } }),
    ),
    /secret is unsupported by this backend/,
  );
});

Deno.test("createBackend rollback undoes only WAL entries older than the minimum age", async () => {
  const t = await newTestBackend(make);
  rolledBack.length = 0;
  await putWal(t.storage, "key", { alias: "old" }, { now: new Date(NOW.getTime() - 601_000) });
  await putWal(t.storage, "key", { alias: "young" }, { now: new Date(NOW.getTime() - 10_000) });
  await putWal(t.storage, "fail", { alias: "stuck" }, { now: new Date(NOW.getTime() - 700_000) });
  await t.backend.handleRequest(makeRequest(t, "rollback", ""));
  assert.deepEqual(rolledBack, [{ alias: "old" }]);
  assert.equal((await listWal(t.storage)).length, 2);
  assert.ok(t.logger.lines.some((l) => l.includes("WAL rollback failed")));
});
