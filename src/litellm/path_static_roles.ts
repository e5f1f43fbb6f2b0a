/**
 * `static-roles/<name>`, `static-roles/`, `static-creds/<name>` and `rotate-role/<name>`: existing
 * LiteLLM keys the engine manages and rotates, for clients that cannot use leases.
 *
 * @module
 */
import { definePath, GENERIC_NAME, UserInputError } from "../sdk/mod.ts";
import type { EngineContext } from "./context.ts";
import {
  bindStaticRole,
  findKeyByAlias,
  readStaticRole,
  rotateStaticKey,
  staticRoleKey,
  writeStaticRole,
} from "./static_role.ts";

const NAME = { type: "name", description: "Name of the static role", inPath: true } as const;

/** The static-roles/<name> path. */
export function pathStaticRoles(ctx: EngineContext) {
  return definePath({
    pattern: `static-roles/${GENERIC_NAME("name")}`,
    fields: {
      name: NAME,
      key_alias: {
        type: "string",
        description: "Alias of the existing LiteLLM key to manage",
        required: true,
      },
      rotation_period: {
        type: "duration",
        description: "Rotate the key on this schedule (0: only on rotate-role)",
      },
    },
    existenceCheck: async (req, data) =>
      (await readStaticRole(req.storage, data.get("name"))) !== undefined,
    operations: {
      read: {
        summary: "Read a static role (never its key)",
        callback: async (req, data) => {
          const role = await readStaticRole(req.storage, data.get("name"));
          if (!role) return undefined;
          return {
            data: {
              key_alias: role.key_alias,
              rotation_period: role.rotation_period,
              last_rotated: role.last_rotated,
            },
          };
        },
      },
      create: {
        summary: "Bind a static role to an existing key (rotates the key once)",
        callback: async (req, data) => {
          if (!data.get("key_alias")) {
            throw new UserInputError(`Missing field "key_alias"`, { field: "key_alias" });
          }
          await bindStaticRole(ctx, req.storage, data.get("name"), {
            keyAlias: data.get("key_alias"),
            rotationPeriod: data.get("rotation_period"),
          });
          return undefined;
        },
      },
      update: {
        summary: "Change a static role's rotation period",
        callback: async (req, data) => {
          const role = await readStaticRole(req.storage, data.get("name"));
          if (!role) {
            throw new UserInputError(`Unknown static role "${data.get("name")}"`, {
              field: "name",
            });
          }
          if (data.has("key_alias") && data.get("key_alias") !== role.key_alias) {
            throw new UserInputError(
              `Invalid field "key_alias": a static role cannot be rebound; delete it and create it again`,
              {
                field: "key_alias",
              },
            );
          }
          if (data.has("rotation_period")) role.rotation_period = data.get("rotation_period");
          await writeStaticRole(req.storage, data.get("name"), role);
          return undefined;
        },
      },
      delete: {
        summary: "Stop managing the key (the key stays at LiteLLM)",
        callback: async (req, data) => {
          await req.storage.delete(staticRoleKey(data.get("name")));
          return undefined;
        },
      },
    },
    helpSynopsis: "Manage existing LiteLLM keys whose secret the engine rotates",
    helpDescription: `
Binds an existing LiteLLM key, found by its alias, to a static role. LiteLLM never returns an
existing key's secret, so binding rotates the key once; static-creds/<name> returns the current
secret. The key is rotated by rotate-role/<name>, or every rotation_period. Rotation regenerates
the key on LiteLLM Enterprise; on the community edition a successor with the same settings and
alias replaces it.

    vault write litellm/static-roles/ci key_alias=ci-pipeline rotation_period=24h
    vault read litellm/static-creds/ci
`,
  });
}

/** The static-roles/ list path. */
export function pathStaticRolesList() {
  return definePath({
    pattern: "static-roles/?",
    fields: {},
    operations: {
      list: {
        summary: "List the static roles",
        callback: async (req) => ({
          data: {
            keys: (await req.storage.list("static-roles/")).filter((k) => !k.endsWith("/")).sort(),
          },
        }),
      },
    },
    helpSynopsis: "List the static roles",
    helpDescription: "Lists the names of all static roles.",
  });
}

/** The static-creds/<name> path. */
export function pathStaticCreds() {
  return definePath({
    pattern: `static-creds/${GENERIC_NAME("name")}`,
    fields: { name: NAME },
    operations: {
      read: {
        summary: "Read a static role's current key",
        callback: async (req, data) => {
          const role = await readStaticRole(req.storage, data.get("name"));
          if (!role) return undefined;
          const next = role.rotation_period > 0
            ? new Date(Date.parse(role.last_rotated) + role.rotation_period * 1000).toISOString()
            : null;
          return {
            data: {
              key: role.key,
              key_alias: role.key_alias,
              last_rotated: role.last_rotated,
              next_rotation: next,
            },
          };
        },
      },
    },
    helpSynopsis: "Read a static role's current key",
    helpDescription: "Returns the current secret of the key a static role manages.",
  });
}

/** The rotate-role/<name> path. */
export function pathRotateRole(ctx: EngineContext) {
  return definePath({
    pattern: `rotate-role/${GENERIC_NAME("name")}`,
    fields: { name: NAME },
    operations: {
      update: {
        summary: "Rotate a static role's key now",
        callback: async (req, data) => {
          await rotateStaticRole(ctx, req.storage, data.get("name"));
          return undefined;
        },
      },
    },
    helpSynopsis: "Rotate a static role's key now",
    helpDescription:
      "Rotates the key a static role manages; static-creds then returns the new secret.",
  });
}

/** Rotates one static role's key and stores the new secret. */
export async function rotateStaticRole(
  ctx: EngineContext,
  storage: import("../sdk/mod.ts").Storage,
  name: string,
) {
  const role = await readStaticRole(storage, name);
  if (!role) throw new UserInputError(`Unknown static role "${name}"`, { field: "name" });
  const client = await ctx.client(storage);
  const row = await findKeyByAlias(client, role.key_alias);
  if (!row?.token) {
    throw new UserInputError(
      `The key "${role.key_alias}" of static role "${name}" no longer exists at LiteLLM`,
    );
  }
  const rotated = await rotateStaticKey(ctx, storage, client, row);
  await writeStaticRole(storage, name, {
    ...role,
    key: rotated.key,
    token_hash: rotated.tokenHash,
    last_rotated: ctx.clock().toISOString(),
  });
  ctx.metrics.count("static_rotations_total");
}
