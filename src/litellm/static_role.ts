/**
 * Static roles: an existing LiteLLM key, found by alias, that the engine manages and rotates.
 * LiteLLM never returns an existing key's secret, so binding rotates the key once to learn it.
 * Rotation regenerates in place on LiteLLM Enterprise; on the community edition a successor with
 * the same settings replaces it (made under a temporary alias, the old key deleted, then renamed),
 * under a WAL so a crash leaves no stray key.
 *
 * @module
 */
import { z } from "zod";
import {
  deleteWal,
  putWal,
  readJson,
  type Storage,
  UserInputError,
  writeJson,
} from "../sdk/mod.ts";
import { type KeyRow, type LiteLLMClient, LiteLLMError } from "./client.ts";
import type { EngineContext } from "./context.ts";

const STATIC_ROLE = z.object({
  key_alias: z.string(),
  token_hash: z.string(),
  key: z.string(),
  rotation_period: z.number().int().nonnegative(),
  last_rotated: z.string(),
});

/** A stored static role (seal-wrapped: it holds the key). */
export type StaticRole = z.infer<typeof STATIC_ROLE>;

/** WAL kind of a static key rotation. */
export const WAL_KIND_STATIC_ROTATE = "static_rotate";

/** Storage key of a static role. */
export function staticRoleKey(name: string): string {
  return `static-roles/${name}`;
}

/** Reads a static role. */
export function readStaticRole(storage: Storage, name: string): Promise<StaticRole | undefined> {
  return readJson(storage, staticRoleKey(name), STATIC_ROLE);
}

/** Writes a static role, seal-wrapped. */
export function writeStaticRole(storage: Storage, name: string, role: StaticRole): Promise<void> {
  return writeJson(storage, staticRoleKey(name), role, { sealWrap: true });
}

/** The key with exactly this alias at LiteLLM. */
export async function findKeyByAlias(
  client: LiteLLMClient,
  alias: string,
): Promise<KeyRow | undefined> {
  return await client.findKeyByAlias(alias);
}

const CARRIED = [
  "models",
  "max_budget",
  "budget_duration",
  "tpm_limit",
  "rpm_limit",
  "max_parallel_requests",
  "team_id",
  "user_id",
  "tags",
  "metadata",
] as const;

/** Rotates the key with `alias`; returns its new secret and hash. */
export async function rotateStaticKey(
  ctx: EngineContext,
  storage: Storage,
  client: LiteLLMClient,
  row: KeyRow,
): Promise<{ key: string; tokenHash: string }> {
  const alias = row.key_alias!;
  try {
    const regenerated = await client.regenerateKey(row.token!);
    return { key: regenerated.key, tokenHash: regenerated.tokenHash };
  } catch (error) {
    if (!(error instanceof LiteLLMError && /enterprise/i.test(error.message))) throw error;
  }
  const temporary = `${alias}-rotating-${Math.floor(ctx.clock().getTime() / 1000)}`;
  const walId = await putWal(storage, WAL_KIND_STATIC_ROTATE, {
    key_alias: temporary,
    original_alias: alias,
  }, {
    now: ctx.clock(),
  });
  const body: Record<string, unknown> = { key_alias: temporary, duration: null };
  for (const field of CARRIED) {
    const value = (row as Record<string, unknown>)[field];
    if (value !== undefined && value !== null) body[field] = value;
  }
  const successor = await client.generateKey(body as never);
  await client.deleteKeys({ keys: [row.token!] });
  await client.renameKey(successor.tokenHash, alias);
  await deleteWal(storage, walId);
  return { key: successor.key, tokenHash: successor.tokenHash };
}

/** Binds a static role to the key with `alias` (rotating it once) and stores it. */
export async function bindStaticRole(
  ctx: EngineContext,
  storage: Storage,
  name: string,
  options: { keyAlias: string; rotationPeriod: number },
): Promise<void> {
  const client = await ctx.client(storage);
  const row = await findKeyByAlias(client, options.keyAlias);
  if (!row?.token) {
    throw new UserInputError(
      `Invalid field "key_alias": no LiteLLM key has the alias "${options.keyAlias}"`,
      {
        field: "key_alias",
      },
    );
  }
  for (
    const other of (await storage.list("static-roles/")).filter((k) =>
      !k.endsWith("/") && k !== name
    )
  ) {
    if ((await readStaticRole(storage, other))?.key_alias === options.keyAlias) {
      throw new UserInputError(
        `Invalid field "key_alias": static role "${other}" already manages "${options.keyAlias}"`,
        {
          field: "key_alias",
        },
      );
    }
  }
  const rotated = await rotateStaticKey(ctx, storage, client, row);
  await writeStaticRole(storage, name, {
    key_alias: options.keyAlias,
    token_hash: rotated.tokenHash,
    key: rotated.key,
    rotation_period: options.rotationPeriod,
    last_rotated: ctx.clock().toISOString(),
  });
}

/**
 * Undoes a rotation that stopped half-way: while the original key exists the successor is
 * deleted; if the original is already gone, the successor takes the original alias (its secret
 * is lost with the crash, so the next rotate-role makes a fresh one the role knows).
 */
export async function rollbackStaticRotation(
  client: LiteLLMClient,
  data: { key_alias?: string; original_alias?: string },
): Promise<void> {
  if (!data.key_alias || !data.original_alias) return;
  const successor = await findKeyByAlias(client, data.key_alias);
  if (!successor?.token) return;
  if (await findKeyByAlias(client, data.original_alias)) {
    await client.deleteKeys({ keys: [successor.token] });
  } else await client.renameKey(successor.token, data.original_alias);
}
