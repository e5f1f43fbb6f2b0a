/**
 * `creds/<name>`: mints a LiteLLM virtual key for a role under a new lease. A WAL entry is written
 * before the key exists and removed once the lease response is ready, so a key whose lease was
 * never created is deleted by the rollback.
 *
 * @module
 */
import {
  calculateTtl,
  definePath,
  deleteWal,
  GENERIC_NAME,
  putWal,
  type Request,
  secretResponse,
  type SecretType,
  UserInputError,
} from "../sdk/mod.ts";
import type { GenerateKeyRequest } from "./client.ts";
import { renderTemplate } from "./identity_template.ts";
import { indexKey } from "./key_index.ts";
import type { EngineContext } from "./context.ts";
import { readRole, type Role } from "./role.ts";

/** WAL kind of a key being minted. */
export const WAL_KIND_KEY = "litellm_key";

const FIELDS = {
  name: { type: "name", description: "Name of the role", inPath: true },
  ttl: {
    type: "duration",
    description: "Requested lease TTL (capped at the role's and the mount's max)",
  },
} as const;

function randomSuffix(): string {
  return Array.from(
    crypto.getRandomValues(new Uint8Array(6)),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
}

/** The body of /key/generate for a role. */
export function generateRequest(
  role: Role,
  stamp: {
    roleName: string;
    keyAlias: string;
    ttlSeconds: number;
    mountPath: string;
    requestId: string;
  },
): GenerateKeyRequest {
  const request: GenerateKeyRequest = {
    key_alias: stamp.keyAlias,
    duration: `${stamp.ttlSeconds}s`,
    models: role.models,
    metadata: {
      ...role.metadata,
      vault_role: stamp.roleName,
      vault_mount_path: stamp.mountPath,
      vault_request_id: stamp.requestId,
    },
  };
  if (role.max_budget !== null) request.max_budget = role.max_budget;
  if (role.budget_duration !== null) request.budget_duration = role.budget_duration;
  if (role.tpm_limit !== null) request.tpm_limit = role.tpm_limit;
  if (role.rpm_limit !== null) request.rpm_limit = role.rpm_limit;
  if (role.max_parallel_requests !== null) {
    request.max_parallel_requests = role.max_parallel_requests;
  }
  if (role.team_id !== null) request.team_id = role.team_id;
  if (role.user_id !== null) request.user_id = role.user_id;
  if (role.tags.length > 0) request.tags = role.tags;
  return request;
}

/** user_id/team_id from the role's identity templates; refuses when one does not resolve. */
async function identityFields(
  ctx: EngineContext,
  req: Request,
  role: Role,
): Promise<Partial<Pick<Role, "user_id" | "team_id">>> {
  if (!role.user_id_template && !role.team_id_template) return {};
  const entity = req.entityId ? await ctx.system.entityInfo(req.entityId) : undefined;
  if (!entity) {
    throw new UserInputError(
      "This role fills user_id or team_id from an identity template, and the caller has no entity",
    );
  }
  const groups = await ctx.system.groupsForEntity(entity.id);
  const out: Partial<Pick<Role, "user_id" | "team_id">> = {};
  try {
    if (role.user_id_template) out.user_id = renderTemplate(role.user_id_template, entity, groups);
    if (role.team_id_template) out.team_id = renderTemplate(role.team_id_template, entity, groups);
  } catch (error) {
    throw new UserInputError(`Cannot mint a key for this caller: ${(error as Error).message}`);
  }
  return out;
}

/**
 * The WAL rollback of a key whose lease was never created: deletes it by alias (already gone is
 * fine). While LiteLLM cannot be reached (or the engine is no longer configured) the entry stays
 * and the host retries every minute, until the key's own LiteLLM expiry has passed: from then on
 * LiteLLM refuses the key anyway, so the entry is dropped with a warning instead of being
 * retried forever.
 */
export async function rollbackKey(ctx: EngineContext, req: Request, data: unknown): Promise<void> {
  const { key_alias: alias, expires_at: expiresAt } = (data ?? {}) as {
    key_alias?: unknown;
    expires_at?: unknown;
  };
  if (typeof alias !== "string" || alias === "") return;
  let deleted: boolean;
  try {
    deleted = await (await ctx.client(req.storage)).deleteKeys({ keyAliases: [alias] });
  } catch (error) {
    const expiry = typeof expiresAt === "string" ? Date.parse(expiresAt) : NaN;
    if (!(expiry < ctx.clock().getTime())) throw error;
    ctx.logger.warn("gave up rolling back a key that has expired at LiteLLM", {
      key_alias: alias,
      error: (error as Error).message,
    });
    return;
  }
  ctx.logger.warn("rolled back a key whose lease was never created", { key_alias: alias, deleted });
  if (deleted) ctx.metrics.count("keys_rolled_back_total");
}

/** The creds/<name> path. */
export function pathCreds(ctx: EngineContext, secret: SecretType) {
  return definePath({
    pattern: `creds/${GENERIC_NAME("name")}`,
    fields: FIELDS,
    operations: {
      read: {
        summary: "Mint a key for a role",
        callback: async (req, data) => {
          const roleName = data.get("name");
          // Independent host calls, made at once: each is a round trip through the broker.
          const [role, mountDefault, mountMax] = await Promise.all([
            readRole(req.storage, roleName),
            ctx.system.defaultLeaseTtlSeconds(),
            ctx.system.maxLeaseTtlSeconds(),
          ]);
          if (!role) throw new UserInputError(`Unknown role "${roleName}"`, { field: "name" });
          const client = await ctx.client(req.storage);
          const ttl = calculateTtl({
            incrementSeconds: data.get("ttl"),
            backendTtlSeconds: role.ttl,
            backendMaxTtlSeconds: role.max_ttl,
            mountDefaultSeconds: mountDefault,
            mountMaxSeconds: mountMax,
            now: ctx.clock(),
          });
          const identity = await identityFields(ctx, req, role);
          const keyAlias = `${role.key_alias_prefix}-${roleName}-${randomSuffix()}`;
          const walId = await putWal(req.storage, WAL_KIND_KEY, {
            key_alias: keyAlias,
            expires_at: new Date(ctx.clock().getTime() + ttl.ttlSeconds * 1000).toISOString(),
          }, { now: ctx.clock() });
          const generated = await client.generateKey(generateRequest({ ...role, ...identity }, {
            roleName,
            keyAlias,
            ttlSeconds: ttl.ttlSeconds,
            mountPath: req.mountPoint,
            requestId: req.id,
          }));
          const response = secretResponse(
            secret,
            {
              key: generated.key,
              key_alias: keyAlias,
              models: role.models,
              max_budget: role.max_budget,
              expires: generated.expires,
            },
            { token_hash: generated.tokenHash, key_alias: keyAlias, role: roleName },
            { ttlSeconds: ttl.ttlSeconds, maxTtlSeconds: role.max_ttl },
          );
          // Both at once (each is a round trip to the host). If either fails the request fails and
          // no lease is made: with the WAL entry left, the rollback deletes the key; with only the
          // index entry missing, tidy does.
          await Promise.all([
            indexKey(req.storage, generated.tokenHash, {
              key_alias: keyAlias,
              role: roleName,
              issued_at: ctx.clock().toISOString(),
            }),
            deleteWal(req.storage, walId),
          ]);
          ctx.logger.info("issued key", {
            role: roleName,
            key_alias: keyAlias,
            ttl_seconds: ttl.ttlSeconds,
          });
          ctx.metrics.count("keys_issued_total");
          return { ...response, warnings: ttl.warnings };
        },
      },
    },
    helpSynopsis: "Mint a LiteLLM virtual key for a role",
    helpDescription: CREDS_HELP,
  });
}

const CREDS_HELP = `
Reading creds/<role> mints a LiteLLM virtual key limited to the role's models and budget, under a
new lease. Optional ttl asks for a shorter or longer lease, capped at the role's max_ttl and the
mount's max lease TTL (a warning says when it was capped).

    vault read litellm/creds/dev ttl=30m

The key's expiry at LiteLLM matches the lease: renew the lease to extend it, revoke the lease to
delete the key.
`;
