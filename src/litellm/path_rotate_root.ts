/**
 * `config/rotate-root`: replaces the engine's LiteLLM credential through LiteLLM's own API and
 * never returns it. LiteLLM cannot rotate its master key, so that is refused; an admin virtual key
 * is regenerated in place (LiteLLM Enterprise) or, on the community edition, replaced by a
 * successor key of the same user, verified, stored, and the old key deleted. A WAL entry covers
 * the window in which the new key exists but is not stored yet. `rotation_period` on config makes
 * the backend do this on schedule (backend.ts).
 *
 * @module
 */
import { definePath, deleteWal, putWal, type Storage, UserInputError } from "../sdk/mod.ts";
import { type LiteLLMClient, LiteLLMError } from "./client.ts";
import { type Config, readConfig, writeConfig } from "./config.ts";
import type { EngineContext } from "./context.ts";

/** WAL kind of a credential rotation. */
export const WAL_KIND_ROTATE_ROOT = "rotate_root";

/** How a rotation was done. */
export interface RotationResult {
  /** "regenerate" (Enterprise) or "successor" (community edition). */
  method: "regenerate" | "successor";
  /** Warnings for the operator. */
  warnings: string[];
}

/** Rotates the stored credential; throws UserInputError when it cannot be rotated. */
export async function rotateRoot(ctx: EngineContext, storage: Storage): Promise<RotationResult> {
  const config = await readConfig(storage);
  if (!config) {
    throw new UserInputError(
      "The engine is not configured: write base_url and master_key to config first",
    );
  }
  const client = ctx.newClient(config);
  try {
    const info = await client.keyInfo(config.master_key);
    if (!info?.token) {
      throw new UserInputError(
        "The configured credential is LiteLLM's master key, which LiteLLM cannot rotate through its API: change LITELLM_MASTER_KEY on the proxy and write the new key to config, or configure a proxy-admin virtual key, which the engine can rotate",
      );
    }
    const oldHash = info.token;
    const successorAlias = `${info.key_alias || "vault-admin"}-${
      Math.floor(ctx.clock().getTime() / 1000)
    }`;
    const walId = await putWal(storage, WAL_KIND_ROTATE_ROOT, { key_alias: successorAlias }, {
      now: ctx.clock(),
    });
    let method: RotationResult["method"] = "regenerate";
    const warnings: string[] = [];
    let newKey: string;
    try {
      newKey = (await client.regenerateKey(oldHash)).key;
    } catch (error) {
      if (!(error instanceof LiteLLMError && /enterprise/i.test(error.message))) throw error;
      method = "successor";
      const userId = (info as { user_id?: string | null }).user_id;
      if (!userId) {
        throw new UserInputError(
          "The admin key belongs to no LiteLLM user, so a successor with the same rights cannot be made",
        );
      }
      newKey = (await client.generateKey({
        key_alias: successorAlias,
        duration: null,
        models: [],
        user_id: userId,
        metadata: { vault_rotated_from: info.key_alias ?? "" },
      })).key;
    }
    await withClient(ctx, { ...config, master_key: newKey }, (c) => c.verify());
    await writeConfig(storage, {
      ...config,
      master_key: newKey,
      last_rotated: ctx.clock().toISOString(),
    });
    ctx.resetClient();
    await deleteWal(storage, walId);
    if (method === "successor") {
      const deleted = await withClient(
        ctx,
        { ...config, master_key: newKey },
        (c) => c.deleteKeys({ keys: [oldHash] }),
      ).catch(() => false);
      if (!deleted) {
        warnings.push("The old admin key could not be deleted at LiteLLM; delete it there by hand");
      }
    }
    // LiteLLM compares the master key with its configuration, not its database: if the old
    // credential still works, it was the master key (some LiteLLM releases also store its hash
    // as a key) and rotating it here did not revoke it.
    if (await withClient(ctx, config, (c) => c.verify()).then(() => true, () => false)) {
      warnings.push(
        "The old credential is still accepted by LiteLLM: it is probably the master key, which only LiteLLM's configuration can change",
      );
    }
    ctx.logger.info("rotated the LiteLLM credential", { method });
    ctx.metrics.count("root_rotations_total", { method });
    return { method, warnings };
  } finally {
    client.close();
  }
}

/** Runs `fn` with a client for `config`, closing it after. */
async function withClient<T>(
  ctx: EngineContext,
  config: Config,
  fn: (client: LiteLLMClient) => Promise<T>,
): Promise<T> {
  const client = ctx.newClient(config);
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}

/** Undoes a rotation that stopped before storing the new key: deletes the successor by alias. */
export async function rollbackRotation(
  ctx: EngineContext,
  storage: Storage,
  alias: string,
): Promise<void> {
  const config = await readConfig(storage);
  if (!config) return;
  const client = ctx.newClient(config);
  try {
    const current = await client.keyInfo(config.master_key);
    if (current?.key_alias === alias) return; // the rotation finished: the successor is in use
    await client.deleteKeys({ keyAliases: [alias] });
  } finally {
    client.close();
  }
}

/** The config/rotate-root path. */
export function pathRotateRoot(ctx: EngineContext) {
  return definePath({
    pattern: "config/rotate-root",
    fields: {},
    operations: {
      update: {
        summary: "Rotate the engine's LiteLLM credential",
        callback: async (req) => {
          const result = await rotateRoot(ctx, req.storage);
          return { data: { rotated: true, method: result.method }, warnings: result.warnings };
        },
      },
    },
    helpSynopsis: "Rotate the engine's LiteLLM credential (the new one is never returned)",
    helpDescription: `
Replaces the admin virtual key in config with a new one through LiteLLM's API and stores it;
the new key is never returned. On LiteLLM Enterprise the key is regenerated in place; on the
community edition a successor key of the same LiteLLM user is created, verified and stored, and
the old key deleted. LiteLLM's master key itself cannot be rotated this way (LiteLLM has no API
for it): that request is refused.

    vault write -f litellm/config/rotate-root

Set rotation_period on config to rotate on a schedule.
`,
  });
}
