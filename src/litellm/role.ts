/**
 * Roles: what a role says about the keys it mints, its storage key, and the pure checks of a
 * role write.
 *
 * @module
 */
import { z } from "zod";
import { readJson, type Storage, UserInputError, writeJson } from "../sdk/mod.ts";
import { templateProblem } from "./identity_template.ts";

const ROLE_SCHEMA = z.object({
  models: z.array(z.string()),
  max_budget: z.number().nullable(),
  key_alias_prefix: z.string(),
  metadata: z.record(z.string(), z.string()),
  ttl: z.number().int(),
  max_ttl: z.number().int(),
  budget_duration: z.string().nullable(),
  tpm_limit: z.number().int().nullable(),
  rpm_limit: z.number().int().nullable(),
  max_parallel_requests: z.number().int().nullable(),
  team_id: z.string().nullable(),
  user_id: z.string().nullable(),
  tags: z.array(z.string()),
  user_id_template: z.string().default(""),
  team_id_template: z.string().default(""),
});

/** A stored role. */
export type Role = z.infer<typeof ROLE_SCHEMA>;

/** Metadata keys the engine stamps on every key; a role may not set them. */
export const RESERVED_METADATA = [
  "vault_role",
  "vault_mount_path",
  "vault_request_id",
  "vault_lease_id",
] as const;

/** Storage key of a role. */
export function roleKey(name: string): string {
  return `roles/${name}`;
}

/** Reads a role; undefined when there is none. */
export function readRole(storage: Storage, name: string): Promise<Role | undefined> {
  return readJson(storage, roleKey(name), ROLE_SCHEMA);
}

/** Writes a role. */
export function writeRole(storage: Storage, name: string, role: Role): Promise<void> {
  return writeJson(storage, roleKey(name), role);
}

/** A role with nothing set yet. */
export function emptyRole(): Role {
  return {
    models: [],
    max_budget: null,
    key_alias_prefix: "vault",
    metadata: {},
    ttl: 0,
    max_ttl: 0,
    budget_duration: null,
    tpm_limit: null,
    rpm_limit: null,
    max_parallel_requests: null,
    team_id: null,
    user_id: null,
    tags: [],
    user_id_template: "",
    team_id_template: "",
  };
}

function fail(field: string, reason: string): never {
  throw new UserInputError(`Invalid field "${field}": ${reason}`, { field });
}

/** Checks a complete role before it is stored; throws UserInputError naming the field. */
export function checkRole(role: Role): void {
  if (role.models.length === 0) {
    fail("models", "at least one model is required (e.g. models=gpt-4o-mini)");
  }
  role.models.forEach((m) => m === "" && fail("models", "model names cannot be empty"));
  if (role.max_budget !== null && !(Number.isFinite(role.max_budget) && role.max_budget >= 0)) {
    fail("max_budget", `must be a number >= 0, got ${role.max_budget}`);
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(role.key_alias_prefix)) {
    fail(
      "key_alias_prefix",
      "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit",
    );
  }
  for (const [key, value] of Object.entries(role.metadata)) {
    if ((RESERVED_METADATA as readonly string[]).includes(key)) {
      fail("metadata", `"${key}" is set by the engine`);
    }
    if (key.length > 128 || value.length > 1024) {
      fail("metadata", `"${key.slice(0, 32)}" is too long`);
    }
  }
  if (role.max_ttl > 0 && role.ttl > role.max_ttl) {
    fail("ttl", `must be <= max_ttl: ttl is ${role.ttl}, max_ttl is ${role.max_ttl}`);
  }
  if (role.budget_duration !== null && !/^\d+(s|m|h|d|mo)$/.test(role.budget_duration)) {
    fail("budget_duration", `"${role.budget_duration}" is not a LiteLLM duration (e.g. 30d, 24h)`);
  }
  for (const field of ["tpm_limit", "rpm_limit", "max_parallel_requests"] as const) {
    const value = role[field];
    if (value !== null && value < 1) fail(field, `must be >= 1, got ${value}`);
  }
  role.tags.forEach((t) => t === "" && fail("tags", "tags cannot be empty"));
  for (
    const [template, plain] of [["user_id_template", "user_id"], [
      "team_id_template",
      "team_id",
    ]] as const
  ) {
    if (!role[template]) continue;
    const problem = templateProblem(role[template]);
    if (problem) fail(template, problem);
    if (role[plain] !== null) fail(template, `cannot be set together with ${plain}`);
  }
}
