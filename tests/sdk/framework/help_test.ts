import assert from "node:assert/strict";
import {
  backendHelpText,
  pathHelpResponse,
  pathHelpText,
  rootHelpResponse,
} from "../../../src/sdk/framework/help.ts";
import { definePath, GENERIC_NAME, type Path } from "../../../src/sdk/framework/path.ts";
import { FakeSystemView, MemoryLogger } from "../../../src/sdk/testing/memory_storage.ts";
import type { Request } from "../../../src/sdk/logical.ts";

const roles = definePath({
  pattern: `roles/${GENERIC_NAME("name")}`,
  fields: {
    name: { type: "name", description: "Name of the role" },
    ttl: { type: "duration", description: "Lease TTL", default: "1h" },
    master_key: { type: "string", description: "The key", sensitive: true, required: true },
    old: { type: "int", description: "Old knob", deprecated: true },
  },
  operations: { read: { callback: async () => undefined } },
  helpSynopsis: "Manage roles",
  helpDescription: "\nRoles say what a key may do.\n",
});

const config = definePath({
  pattern: "config",
  fields: {},
  operations: {},
  helpSynopsis: "Configure",
  helpDescription: "Config.",
});

function helpRequest(data: Record<string, unknown>): Request {
  return { path: "", operation: "help", data } as Request;
}

Deno.test("pathHelpText lays out a path as vault path-help prints it", () => {
  const text = pathHelpText(roles, "roles/dev");
  assert.match(text, /^Request: {8}roles\/dev\nMatching Route: \^roles\/\(\?<name>/);
  assert.match(text, /\n {4}master_key \(string, required, write-only\)\n\n {8}The key\n/);
  assert.match(text, /\n {4}ttl \(duration \(sec\)\)\n\n {8}Lease TTL \(default: "1h"\)\n/);
  assert.match(text, /\n {8}\(DEPRECATED\) Old knob/);
  assert.match(text, /## DESCRIPTION\n\nRoles say what a key may do\.$/);
  const names = [...text.matchAll(/^ {4}(\w+) \(/gm)].map((m) => m[1]);
  assert.deepEqual(names, ["master_key", "name", "old", "ttl"], "fields are sorted");
});

Deno.test("backendHelpText lists every path, sorted, with its synopsis", () => {
  const text = backendHelpText("  The engine.  ", [roles, config]);
  assert.match(text, /^## DESCRIPTION\n\nThe engine\.\n\n## PATHS\n/);
  assert.ok(text.indexOf("^config$") < text.indexOf("^roles/"));
  assert.match(text, / {4}\^config\$\n {8}Configure\n/);
});

Deno.test("pathHelpResponse answers help, see_also and the path's OpenAPI document", () => {
  const response = pathHelpResponse(roles, "roles/dev");
  assert.deepEqual(Object.keys(response.data!), ["help", "see_also", "openapi"]);
  assert.equal(response.data!.see_also, null);
  const doc = response.data!.openapi as { paths: Record<string, unknown> };
  assert.deepEqual(Object.keys(doc.paths), ["/roles/{name}"]);
});

Deno.test("rootHelpResponse uses the host's version and the request's prefix", async () => {
  const response = await rootHelpResponse("Engine", [roles, config], {
    request: helpRequest({ requestResponsePrefix: "litellm" }),
    system: new FakeSystemView(),
    logger: new MemoryLogger(),
  });
  const doc = response.data!.openapi as {
    info: { version: string };
    paths: Record<string, { get?: { operationId: string } }>;
  };
  assert.equal(doc.info.version, "2.7.2");
  assert.equal(doc.paths["/roles/{name}"].get?.operationId, "litellm-read-roles-name");
  assert.match(String(response.data!.help), /## PATHS/);
});

Deno.test("rootHelpResponse still answers when the host version or a path is broken", async () => {
  const system = new FakeSystemView();
  system.pluginEnv = () => Promise.reject(new Error("broker gone"));
  const logger = new MemoryLogger();
  const broken = {
    ...config,
    get pattern(): string {
      throw new Error("boom");
    },
  } as unknown as Path;
  const response = await rootHelpResponse("Engine", [roles, broken], {
    request: helpRequest({}),
    system,
    logger,
  });
  const doc = response.data!.openapi as { openapi: string; info: { version: string } };
  assert.equal(doc.openapi, "3.0.2");
  assert.equal(doc.info.version, "unknown");
  assert.equal(response.data!.help, "Engine");
  assert.ok(logger.lines.some((l) => l.includes("error generating OpenAPI") && l.includes("boom")));
});

Deno.test("rootHelpResponse does not wait long for a host that does not answer", async () => {
  const system = new FakeSystemView();
  system.pluginEnv = () => new Promise(() => {});
  const response = await rootHelpResponse("Engine", [config], {
    request: helpRequest({}),
    system,
    logger: new MemoryLogger(),
    versionTimeoutMs: 10,
  });
  assert.equal((response.data!.openapi as { info: { version: string } }).info.version, "unknown");
});
