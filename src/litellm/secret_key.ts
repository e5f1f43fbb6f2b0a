/**
 * The `litellm_key` secret: a LiteLLM virtual key bound to a lease. Renewing extends the key's
 * expiry at LiteLLM in step with the lease; revoking deletes it (by hash, falling back to the
 * alias), and a key that is already gone counts as revoked. The lease keeps only the key's hash,
 * alias and role: never the key, never the master key.
 *
 * @module
 */
import { calculateTtl, type Request, type SecretType, UserInputError } from "../sdk/mod.ts";
import { LiteLLMError } from "./client.ts";
import type { EngineContext } from "./context.ts";
import { unindexKey } from "./key_index.ts";
import { readRole } from "./role.ts";

/** Name of the secret type. */
export const SECRET_KEY_TYPE = "litellm_key";

/** What a lease keeps to renew and revoke its key. */
export interface KeyLeaseData {
  /** LiteLLM's hash of the key. */
  token_hash: string;
  /** The key's alias at LiteLLM. */
  key_alias: string;
  /** The role the key was minted for. */
  role: string;
}

function leaseData(req: Request): KeyLeaseData {
  const data = req.secret?.internalData ?? {};
  return {
    token_hash: String(data.token_hash ?? ""),
    key_alias: String(data.key_alias ?? ""),
    role: String(data.role ?? ""),
  };
}

/** The litellm_key secret type. */
export function secretKey(ctx: EngineContext): SecretType {
  return {
    type: SECRET_KEY_TYPE,
    async renew(req) {
      const lease = leaseData(req);
      const secret = req.secret!;
      const [role, mountDefault, mountMax] = await Promise.all([
        readRole(req.storage, lease.role),
        ctx.system.defaultLeaseTtlSeconds(),
        ctx.system.maxLeaseTtlSeconds(),
      ]);
      if (!role) throw new UserInputError(`Cannot renew: role "${lease.role}" no longer exists`);
      const ttl = calculateTtl({
        incrementSeconds: secret.leaseOptions.incrementSeconds,
        backendTtlSeconds: role.ttl,
        backendMaxTtlSeconds: role.max_ttl,
        mountDefaultSeconds: mountDefault,
        mountMaxSeconds: mountMax,
        issueTime: secret.leaseOptions.issueTime,
        now: ctx.clock(),
      });
      const client = await ctx.client(req.storage);
      try {
        await client.extendKey(lease.token_hash, ttl.ttlSeconds);
      } catch (error) {
        if (!(error instanceof LiteLLMError && error.keyNotFound)) throw error;
        throw new UserInputError(
          `Cannot renew: the key "${lease.key_alias}" no longer exists at LiteLLM (deleted outside Vault); revoke the lease`,
        );
      }
      ctx.logger.info("renewed key", { key_alias: lease.key_alias, ttl_seconds: ttl.ttlSeconds });
      ctx.metrics.count("keys_renewed_total");
      return {
        secret: {
          ...secret,
          leaseOptions: {
            ...secret.leaseOptions,
            ttlSeconds: ttl.ttlSeconds,
            maxTtlSeconds: role.max_ttl,
          },
        },
        warnings: ttl.warnings,
      };
    },
    async revoke(req) {
      const lease = leaseData(req);
      const client = await ctx.client(req.storage);
      const deleteAtLiteLLM = async () => {
        const byHash = lease.token_hash
          ? await client.deleteKeys({ keys: [lease.token_hash] })
          : false;
        if (!byHash && lease.key_alias) await client.deleteKeys({ keyAliases: [lease.key_alias] });
      };
      // At once: if LiteLLM fails, the revocation fails and the host retries it; a key whose index
      // entry is already gone is then at worst deleted early by tidy, which is what revoke wants.
      await Promise.all([
        deleteAtLiteLLM(),
        lease.token_hash ? unindexKey(req.storage, lease.token_hash) : undefined,
      ]);
      ctx.logger.info("revoked key", { key_alias: lease.key_alias });
      ctx.metrics.count("keys_revoked_total");
      return undefined;
    },
  };
}
