/**
 * A small backend for the createBackend tests: things/<name> (create and update handlers, an
 * existence check), settings (update only), a list path, and a path issuing a lease.
 */
import {
  type BackendDefinition,
  definePath,
  GENERIC_NAME,
  readJson,
  secretResponse,
  type SecretType,
  writeJson,
} from "../../../src/sdk/mod.ts";
import { z } from "zod";
import { newTestBackend, type TestBackend } from "../../_helpers.ts";

export const NOW = new Date("2026-11-23T12:00:00Z");
const Thing = z.object({ size: z.number(), ttl: z.number().optional(), by: z.string() });

const things = definePath({
  pattern: `things/${GENERIC_NAME("name")}`,
  fields: {
    name: { type: "name", description: "Name" },
    size: { type: "int", description: "Size", default: 3 },
    ttl: { type: "duration", description: "TTL" },
    color: { type: "string", description: "Color", allowedValues: ["red", "blue"] },
  },
  existenceCheck: async (req, data) =>
    (await req.storage.get(`things/${data.get("name")}`)) !== undefined,
  operations: {
    read: {
      callback: async (req, data) => {
        const thing = await readJson(req.storage, `things/${data.get("name")}`, Thing);
        return thing ? { data: thing } : undefined;
      },
    },
    create: {
      callback: async (req, data) => {
        const thing = { size: data.get("size"), ttl: data.get("ttl"), by: "create" };
        await writeJson(req.storage, `things/${data.get("name")}`, thing);
        return undefined;
      },
    },
    update: {
      callback: async (req, data) => {
        await writeJson(req.storage, `things/${data.get("name")}`, {
          size: data.get("size"),
          by: "update",
        });
        return { data: { written: true } };
      },
    },
  },
  helpSynopsis: "Things",
  helpDescription: "Manages things.",
});

const settings = definePath({
  pattern: "settings",
  fields: { level: { type: "int", description: "Level" } },
  existenceCheck: async (req) => (await req.storage.get("settings")) !== undefined,
  operations: {
    update: {
      callback: async (req, data) => {
        await writeJson(req.storage, "settings", { level: data.get("level") });
        return undefined;
      },
    },
  },
  helpSynopsis: "Settings",
  helpDescription: "One handler serves create and update.",
});

const thingList = definePath({
  pattern: "things",
  fields: {},
  operations: {
    list: {
      callback: async (req) => ({ data: { keys: await req.storage.list("things/") } }),
    },
  },
  helpSynopsis: "List things",
  helpDescription: "Lists things.",
});

export const leaseCalls: Array<[string, unknown]> = [];
export const lease: SecretType<{ who: { type: "string"; description: string } }> = {
  type: "lease",
  fields: { who: { type: "string", description: "Who" } },
  renew: async (req, data) => {
    leaseCalls.push(["renew", data.get("who")]);
    return { secret: req.secret };
  },
  revoke: async (_req, data) => {
    leaseCalls.push(["revoke", data.get("who")]);
    return undefined;
  },
};

const issue = definePath({
  pattern: "issue",
  fields: {},
  operations: {
    read: {
      callback: async () =>
        secretResponse(lease, { who: "me" }, { id: "x" }, { ttlSeconds: 60, maxTtlSeconds: 120 }),
    },
  },
  helpSynopsis: "Issue",
  helpDescription: "Issues a lease.",
});

export function definition(extra: Partial<BackendDefinition> = {}): BackendDefinition {
  return {
    help: "Test backend",
    paths: [things, settings, thingList, issue],
    secrets: [lease],
    clock: () => NOW,
    ...extra,
  };
}

export function newBackend(extra: Partial<BackendDefinition> = {}): Promise<TestBackend> {
  return newTestBackend(() => definition(extra));
}
