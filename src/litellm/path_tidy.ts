/**
 * `tidy`: finds keys at LiteLLM that this mount minted (its alias prefixes and its mount path in
 * the key's metadata) but that have no live lease and no pending WAL entry, and deletes them.
 * A safety margin spares keys younger than it; `dry_run` only reports. The backend also runs it
 * periodically (see backend.ts).
 *
 * @module
 */
import { definePath, getWal, listWal, type Storage } from "../sdk/mod.ts";
import type { LiteLLMClient } from "./client.ts";
import type { EngineContext } from "./context.ts";
import { isIndexed } from "./key_index.ts";
import { readRole } from "./role.ts";

/** What a tidy run found and did. */
export interface TidyReport {
  /** Keys looked at (this mount's prefixes). */
  scanned: number;
  /** Aliases of keys without a lease. */
  orphans: string[];
  /** How many were deleted (0 on a dry run). */
  deleted: number;
  /** Whether nothing was deleted on purpose. */
  dry_run: boolean;
}

/** Runs a tidy pass. */
export async function tidy(
  storage: Storage,
  client: LiteLLMClient,
  options: { mountPoint: string; marginSeconds: number; dryRun: boolean; now: Date },
): Promise<TidyReport> {
  const prefixes = new Set<string>(["vault"]);
  for (const name of (await storage.list("roles/")).filter((k) => !k.endsWith("/"))) {
    const role = await readRole(storage, name);
    if (role) prefixes.add(role.key_alias_prefix);
  }
  const pending = new Set<string>();
  for (const id of await listWal(storage)) {
    const alias = (await getWal(storage, id))?.data as { key_alias?: string } | undefined;
    if (alias?.key_alias) pending.add(alias.key_alias);
  }
  const report: TidyReport = { scanned: 0, orphans: [], deleted: 0, dry_run: options.dryRun };
  const cutoff = options.now.getTime() - options.marginSeconds * 1000;
  const ours = (alias: string) => [...prefixes].some((prefix) => alias.startsWith(`${prefix}-`));
  for (const row of await client.listKeys()) {
    if (!row.token || !row.key_alias || !ours(row.key_alias)) continue;
    if (row.metadata?.vault_mount_path !== options.mountPoint) continue;
    report.scanned++;
    const created = Date.parse(row.created_at ?? "");
    if (Number.isFinite(created) && created > cutoff) continue;
    if (pending.has(row.key_alias) || await isIndexed(storage, row.token)) continue;
    report.orphans.push(row.key_alias);
    if (!options.dryRun && await client.deleteKeys({ keys: [row.token] })) report.deleted++;
  }
  return report;
}

/** The tidy path. */
export function pathTidy(ctx: EngineContext) {
  return definePath({
    pattern: "tidy",
    fields: {
      safety_margin: {
        type: "duration",
        description: "Spare keys younger than this",
        default: 3600,
      },
      dry_run: { type: "bool", description: "Only report what would be deleted", default: false },
    },
    operations: {
      update: {
        summary: "Delete keys at LiteLLM that have no lease",
        callback: async (req, data) => {
          const report = await tidy(req.storage, await ctx.client(req.storage), {
            mountPoint: req.mountPoint,
            marginSeconds: data.get("safety_margin"),
            dryRun: data.get("dry_run"),
            now: ctx.clock(),
          });
          ctx.logger.info("tidy finished", {
            scanned: report.scanned,
            orphans: report.orphans.length,
            deleted: report.deleted,
          });
          ctx.metrics.count("keys_tidied_total");
          return { data: { ...report } };
        },
      },
    },
    helpSynopsis: "Delete keys this mount minted that have no live lease",
    helpDescription: `
Looks at the keys at LiteLLM that carry one of this mount's alias prefixes and this mount's path
in their metadata, and deletes those that have no live lease and no pending write-ahead log
entry, unless they are younger than safety_margin. Leases revoked while LiteLLM was unreachable
for longer than the engine retries, or keys minted by hand with a role's prefix, end up here.

    vault write litellm/tidy dry_run=true
    vault write litellm/tidy safety_margin=2h

The engine also runs it every 6 hours (with the default margin).
`,
  });
}
