import assert from "node:assert/strict";
import { openApiDocument } from "../../../src/sdk/framework/openapi.ts";
import { expandPattern } from "../../../src/sdk/framework/_pattern_paths.ts";
import { definePath, GENERIC_NAME, type Path } from "../../../src/sdk/framework/path.ts";

const noop = { callback: async () => undefined };

const roles = definePath({
  pattern: `roles/${GENERIC_NAME("name")}`,
  fields: {
    name: { type: "name", description: "Role  name" },
    ttl: { type: "duration", description: "TTL", default: "1h" },
    models: { type: "comma_string_list", description: "Models", required: true },
    master_key: { type: "string", description: "Key", sensitive: true, displayName: "Key" },
    tier: { type: "string", description: "Tier", allowedValues: ["a", "b"] },
  },
  existenceCheck: async () => false,
  operations: { read: noop, update: { ...noop, summary: "Write a role" }, delete: noop },
  helpSynopsis: "Manage roles",
  helpDescription: "Roles.",
  displayAttrs: { itemType: "Role", navigation: true },
});

const rolesList = definePath({
  pattern: "roles/?",
  fields: {},
  operations: { list: noop },
  helpSynopsis: "List roles",
  helpDescription: "Lists.",
});

type Doc = {
  openapi: string;
  info: { version: string };
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, unknown> };
};

function doc(paths: Path[], prefix = "litellm") {
  return openApiDocument(paths, { prefix, version: "2.7.2" }) as unknown as Doc;
}

Deno.test("expandPattern turns patterns into OpenAPI paths as Vault does", async (t) => {
  const cases: Array<[string, string, string[] | undefined]> = [
    ["literal", "config", ["config"]],
    ["named group", `roles/${GENERIC_NAME("name")}`, ["roles/{name}"]],
    ["Go named group", "creds/(?P<name>\\w+)", ["creds/{name}"]],
    ["optional trailing slash dropped", "roles/?", ["roles"]],
    ["anchors ignored", "^roles/?$", ["roles"]],
    ["alternation forks", "keys/(internal|exported)", ["keys/internal", "keys/exported"]],
    ["optional part forks", "crl(/pem)?", ["crl", "crl/pem"]],
    ["escaped literal", "a\\.b", ["a.b"]],
    ["two groups", "(?<a>\\w+)/x/(?<b>[^/]+)", ["{a}/x/{b}"]],
    ["wildcard outside a group", "files/.*", undefined],
    ["char class outside a group", "v[12]", undefined],
    ["plus outside a group", "a+", undefined],
  ];
  for (const [name, pattern, expected] of cases) {
    await t.step(name, () => assert.deepEqual(expandPattern(pattern), expected));
  }
});

Deno.test("openApiDocument lists every path with path parameters and Vault's extensions", () => {
  const d = doc([roles, rolesList]);
  assert.equal(d.openapi, "3.0.2");
  assert.equal(d.info.version, "2.7.2");
  assert.deepEqual(Object.keys(d.paths), ["/roles/{name}", "/roles"]);
  const item = d.paths["/roles/{name}"];
  assert.equal(item.description, "Manage roles");
  assert.equal(item["x-vault-createSupported"], true);
  assert.deepEqual(item["x-vault-displayAttrs"], { navigation: true, itemType: "Role" });
  assert.deepEqual(item.parameters, [{
    name: "name",
    description: "Role name",
    in: "path",
    schema: { type: "string", pattern: "\\w([\\w-.]*\\w)?" },
    required: true,
  }]);
  assert.deepEqual(Object.keys(item).filter((k) => ["get", "post", "delete"].includes(k)), [
    "get",
    "post",
    "delete",
  ]);
});

Deno.test("openApiDocument builds operation ids and request bodies as Vault's framework", () => {
  const d = doc([roles, rolesList]);
  const post = d.paths["/roles/{name}"].post as Record<string, unknown>;
  assert.equal(post.operationId, "litellm-write-roles-name");
  assert.equal(post.summary, "Write a role");
  assert.deepEqual(post.tags, ["secrets"]);
  const body = post.requestBody as {
    required: boolean;
    content: Record<string, { schema: { type: string; properties: object } }>;
  };
  assert.equal(body.required, true);
  assert.deepEqual(Object.keys(body.content), ["application/json"]);
  assert.equal(body.content["application/json"].schema.type, "object");
  const del = d.paths["/roles/{name}"].delete as Record<string, unknown>;
  assert.deepEqual(del.responses, { "204": { description: "empty body" } });
  const list = d.paths["/roles"].get as Record<string, unknown>;
  assert.equal(list.operationId, "litellm-list-roles");
  assert.deepEqual((list.parameters as Array<{ name: string }>)[0].name, "list");
});

Deno.test("openApiDocument describes body fields: types, defaults, enums, sensitivity", () => {
  const post = doc([roles]).paths["/roles/{name}"].post as {
    requestBody: { content: Record<string, { schema: unknown }> };
  };
  const schema = post.requestBody.content["application/json"].schema as {
    properties: Record<string, Record<string, unknown>>;
    required: string[];
  };
  assert.deepEqual(Object.keys(schema.properties), ["ttl", "models", "master_key", "tier"]);
  assert.deepEqual(schema.required, ["models"]);
  assert.deepEqual(schema.properties.ttl, {
    type: "string",
    format: "duration",
    description: "TTL",
    default: "1h",
  });
  assert.deepEqual(schema.properties.models.items, { type: "string" });
  assert.deepEqual(schema.properties.tier.enum, ["a", "b"]);
  assert.deepEqual(schema.properties.master_key, {
    type: "string",
    description: "Key",
    format: "password",
    "x-vault-displaySensitive": true,
    "x-vault-displayAttrs": { name: "Key", sensitive: true },
  });
});

Deno.test("openApiDocument honours display hints for operation ids", () => {
  const hinted = definePath({
    ...rolesList,
    operations: { list: noop },
    displayAttrs: { operationPrefix: "llm", operationSuffix: "roles-all" },
  });
  assert.equal(
    (doc([hinted]).paths["/roles"].get as { operationId: string }).operationId,
    "llm-list-roles-all",
  );
  const verb = definePath({ ...hinted, displayAttrs: { operationVerb: "enumerate" } });
  assert.equal(
    (doc([verb]).paths["/roles"].get as { operationId: string }).operationId,
    "enumerate",
  );
});

Deno.test("openApiDocument offers list on read when a path has both", () => {
  const both = definePath({ ...rolesList, operations: { read: noop, list: noop } });
  const get = doc([both]).paths["/roles"].get as { operationId: string; parameters: unknown[] };
  assert.equal(get.operationId, "litellm-read-roles");
  assert.deepEqual(get.parameters, [{
    name: "list",
    description: "Return a list if `true`",
    in: "query",
    schema: { type: "string" },
  }]);
});

Deno.test("openApiDocument marks sudo and unauthenticated paths", () => {
  const d = openApiDocument([roles, rolesList], {
    prefix: "x",
    version: "",
    specialPaths: { root: ["roles/+"], unauthenticated: ["roles"] },
  }) as unknown as Doc;
  assert.equal(d.paths["/roles/{name}"]["x-vault-sudo"], true);
  assert.equal(d.paths["/roles/{name}"]["x-vault-unauthenticated"], undefined);
  assert.equal(d.paths["/roles"]["x-vault-unauthenticated"], true);
});

Deno.test("openApiDocument lists a pattern it cannot express without operations", () => {
  const wild = definePath({ ...rolesList, pattern: "files/.*" });
  const item = doc([wild]).paths["/files/.*"];
  assert.deepEqual(item, { description: "List roles" });
});

Deno.test("openApiDocument output survives a JSON round trip with string status keys", () => {
  const d = doc([roles, rolesList]);
  const again = JSON.parse(JSON.stringify(d));
  assert.deepEqual(again, d);
  assert.deepEqual(Object.keys((again.paths["/roles"].get as { responses: object }).responses), [
    "200",
  ]);
});
