/**
 * `roles/<name>` and `roles/`: what each role's keys may do (models, budget, limits) and how long
 * they live. Writes change only the fields given; every field is checked before anything is stored.
 *
 * @module
 */
import {
  definePath,
  GENERIC_NAME,
  type Request,
  type Response,
  UserInputError,
} from "../sdk/mod.ts";
import { checkRole, emptyRole, readRole, type Role, roleKey, writeRole } from "./role.ts";

const FIELDS = {
  name: { type: "name", description: "Name of the role", inPath: true },
  models: {
    type: "comma_string_list",
    description: "Models the keys may use (LiteLLM model names)",
    required: true,
  },
  max_budget: {
    type: "float",
    description: "Spending limit of each key in USD (LiteLLM max_budget)",
  },
  budget_duration: {
    type: "string",
    description: "When LiteLLM resets the key's spend, e.g. 30d or 24h",
  },
  key_alias_prefix: {
    type: "string",
    description: "Prefix of the LiteLLM key_alias of each key",
    default: "vault",
  },
  metadata: { type: "kv_pairs", description: "Metadata stamped on each key (key=value pairs)" },
  ttl: { type: "duration", description: "Default lease TTL of the keys (default: the mount's)" },
  max_ttl: {
    type: "duration",
    description: "Maximum lease TTL of the keys (default: the mount's)",
  },
  tpm_limit: { type: "int", description: "Tokens per minute limit of each key" },
  rpm_limit: { type: "int", description: "Requests per minute limit of each key" },
  max_parallel_requests: { type: "int", description: "Concurrent requests limit of each key" },
  team_id: { type: "string", description: "LiteLLM team the keys belong to" },
  user_id: { type: "string", description: "LiteLLM user the keys belong to" },
  tags: { type: "comma_string_list", description: "LiteLLM tags of the keys (LiteLLM Enterprise)" },
  user_id_template: {
    type: "string",
    description:
      "LiteLLM user_id from the caller's identity, e.g. {{identity.entity.name}}; unresolved refuses the request",
  },
  team_id_template: {
    type: "string",
    description:
      "LiteLLM team_id from the caller's identity, e.g. {{identity.entity.metadata.team}}",
  },
} as const;

type RoleFields = typeof FIELDS;

function roleData(role: Role): Record<string, unknown> {
  return { ...role };
}

/** The roles/<name> path. */
export function pathRoles() {
  return definePath({
    pattern: `roles/${GENERIC_NAME("name")}`,
    fields: FIELDS,
    existenceCheck: async (req, data) =>
      (await readRole(req.storage, data.get("name"))) !== undefined,
    operations: {
      read: {
        summary: "Read a role",
        callback: async (req, data) => {
          const role = await readRole(req.storage, data.get("name"));
          return role ? { data: roleData(role) } : undefined;
        },
      },
      create: {
        summary: "Create a role",
        callback: (req, data) => writeRoleFromRequest(req, data),
      },
      update: {
        summary: "Update a role",
        callback: (req, data) => writeRoleFromRequest(req, data),
      },
      delete: {
        summary: "Delete a role (keys already issued keep their leases)",
        callback: async (req, data) => {
          await req.storage.delete(roleKey(data.get("name")));
          return undefined;
        },
      },
    },
    helpSynopsis: "Manage the roles keys are minted for",
    helpDescription: ROLES_HELP,
    displayAttrs: { itemType: "Role" },
  });
}

/** The roles/ list path. */
export function pathRolesList() {
  return definePath({
    pattern: "roles/?",
    fields: {
      after: { type: "string", description: "List only names after this one (pagination)" },
      limit: { type: "int", description: "List at most this many names (0: all)", default: 0 },
    },
    operations: {
      list: {
        summary: "List the roles",
        callback: async (req, data) => {
          const after = data.get("after");
          const limit = data.get("limit");
          if (limit < 0) {
            throw new UserInputError(`Invalid field "limit": must be >= 0, got ${limit}`, {
              field: "limit",
            });
          }
          let keys = (await req.storage.list("roles/")).filter((k) => !k.endsWith("/")).sort();
          if (after) keys = keys.filter((k) => k > after);
          if (limit > 0) keys = keys.slice(0, limit);
          return { data: { keys } };
        },
      },
    },
    helpSynopsis: "List the roles",
    helpDescription: "Lists the names of all roles.",
  });
}

async function writeRoleFromRequest(
  req: Request,
  data: import("../sdk/mod.ts").FieldData<RoleFields>,
): Promise<Response | undefined> {
  const name = data.get("name");
  const role = (await readRole(req.storage, name)) ?? emptyRole();
  if (data.has("models")) role.models = data.get("models");
  if (data.has("max_budget")) {
    role.max_budget = data.raw.max_budget === "" ? null : data.get("max_budget");
  }
  if (data.has("budget_duration")) role.budget_duration = data.get("budget_duration") || null;
  if (data.has("key_alias_prefix")) role.key_alias_prefix = data.get("key_alias_prefix");
  if (data.has("metadata")) role.metadata = data.get("metadata");
  if (data.has("ttl")) role.ttl = data.get("ttl");
  if (data.has("max_ttl")) role.max_ttl = data.get("max_ttl");
  for (const field of ["tpm_limit", "rpm_limit", "max_parallel_requests"] as const) {
    if (data.has(field)) role[field] = data.raw[field] === "" ? null : data.get(field);
  }
  if (data.has("team_id")) role.team_id = data.get("team_id") || null;
  if (data.has("user_id")) role.user_id = data.get("user_id") || null;
  if (data.has("tags")) role.tags = data.get("tags");
  if (data.has("user_id_template")) role.user_id_template = data.get("user_id_template");
  if (data.has("team_id_template")) role.team_id_template = data.get("team_id_template");
  checkRole(role);
  await writeRole(req.storage, name, role);
  return undefined;
}

const ROLES_HELP = `
A role says what the keys minted from it may do at LiteLLM and how long they live:

    vault write litellm/roles/dev models=gpt-4o-mini,claude-3-haiku max_budget=5 ttl=1h max_ttl=24h

Each key is limited to the role's models and budget (and, when set, its rate limits, budget
reset period, team, user and tags: LiteLLM's own field names). Its LiteLLM expiry follows the
lease: renewing the lease extends the key, revoking the lease deletes it. ttl and max_ttl default
to the mount's lease settings; ttl must not exceed max_ttl. Writing a role changes only the
fields given.
`;
