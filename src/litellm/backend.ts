/**
 * The LiteLLM secrets engine: its paths and secret type, the client cached per mount, and the
 * rollback of keys whose lease was never created.
 *
 * @module
 */
import {
  type BackendConfig,
  type BackendFactory,
  createBackend,
  fieldSchema,
  type Request,
} from "../sdk/mod.ts";
import { CONFIG_KEY, readConfig } from "./config.ts";
import { createContext, type EngineOptions } from "./context.ts";
import { pathConfig } from "./path_config.ts";
import { pathCreds, rollbackKey, WAL_KIND_KEY } from "./path_creds.ts";
import { pathMetrics } from "./path_metrics.ts";
import { pathTidy, tidy } from "./path_tidy.ts";
import {
  pathRotateRole,
  pathStaticCreds,
  pathStaticRoles,
  pathStaticRolesList,
  rotateStaticRole,
} from "./path_static_roles.ts";
import { readStaticRole, rollbackStaticRotation, WAL_KIND_STATIC_ROTATE } from "./static_role.ts";
import {
  pathRotateRoot,
  rollbackRotation,
  rotateRoot,
  WAL_KIND_ROTATE_ROOT,
} from "./path_rotate_root.ts";
import { pathRoles, pathRolesList } from "./path_roles.ts";
import { secretKey } from "./secret_key.ts";

/** How often the periodic tidy runs. */
const TIDY_INTERVAL_MS = 6 * 3600 * 1000;

/** Builds the backend of one mount. */
export function litellmBackend(config: BackendConfig, options: EngineOptions = {}) {
  const ctx = createContext(config.system, config.logger, options);
  const secret = secretKey(ctx);
  let lastTidy = ctx.clock().getTime();
  return createBackend({
    walRollbackMinAgeSeconds: walMinAge(config.config["wal_rollback_min_age"]),
    help: BACKEND_HELP,
    paths: [
      pathConfig(ctx),
      pathRolesList(),
      pathRoles(),
      pathCreds(ctx, secret),
      pathMetrics(ctx.metrics),
      pathTidy(ctx),
      pathRotateRoot(ctx),
      pathStaticRolesList(),
      pathStaticRoles(ctx),
      pathStaticCreds(),
      pathRotateRole(ctx),
    ],
    secrets: [secret],
    specialPaths: { sealWrapStorage: [CONFIG_KEY, "static-roles/"] },
    clock: options.clock,
    async walRollback(req: Request, kind: string, data: unknown) {
      if (kind === WAL_KIND_ROTATE_ROOT) {
        const alias = String((data as { key_alias?: unknown })?.key_alias ?? "");
        if (alias) await rollbackRotation(ctx, req.storage, alias);
        return;
      }
      if (kind === WAL_KIND_STATIC_ROTATE) {
        const client = await ctx.client(req.storage);
        await rollbackStaticRotation(
          client,
          data as { key_alias?: string; original_alias?: string },
        );
        return;
      }
      if (kind === WAL_KIND_KEY) await rollbackKey(ctx, req, data);
    },
    async periodic(req: Request) {
      const config = await readConfig(req.storage);
      if (!config) return;
      const lastRotated = Date.parse(config.last_rotated || "1970-01-01T00:00:00Z");
      if (
        config.rotation_period > 0 &&
        ctx.clock().getTime() - lastRotated >= config.rotation_period * 1000
      ) {
        await rotateRoot(ctx, req.storage).catch((error) =>
          ctx.logger.error("scheduled rotation failed", { error: (error as Error).message })
        );
      }
      for (
        const name of (await req.storage.list("static-roles/")).filter((k) => !k.endsWith("/"))
      ) {
        const role = await readStaticRole(req.storage, name);
        if (!role || role.rotation_period === 0) continue;
        if (
          ctx.clock().getTime() - Date.parse(role.last_rotated) < role.rotation_period * 1000
        ) continue;
        await rotateStaticRole(ctx, req.storage, name).catch((error) =>
          ctx.logger.error("scheduled static role rotation failed", {
            role: name,
            error: (error as Error).message,
          })
        );
      }
      // The host calls this every minute; tidy runs at most every TIDY_INTERVAL_MS.
      if (ctx.clock().getTime() - lastTidy < TIDY_INTERVAL_MS) return;
      lastTidy = ctx.clock().getTime();
      const report = await tidy(req.storage, await ctx.client(req.storage), {
        mountPoint: req.mountPoint,
        marginSeconds: 3600,
        dryRun: false,
        now: ctx.clock(),
      });
      if (report.orphans.length > 0) {
        ctx.logger.warn("periodic tidy deleted keys without a lease", { deleted: report.deleted });
      }
    },
    clean: async () => ctx.resetClient(),
    invalidate(key) {
      if (key === CONFIG_KEY) ctx.resetClient();
    },
  }, config);
}

/**
 * The mount option `wal_rollback_min_age` (`secrets enable -options=wal_rollback_min_age=2m`):
 * how old a WAL entry must be before the rollback undoes it. Default 10 minutes, as Vault's
 * engines; never below 1 s, so a key being minted right now is never touched.
 */
function walMinAge(option: string | undefined): number {
  if (option === undefined) return 600;
  const parsed = fieldSchema("duration").safeParse(option);
  return parsed.success ? Math.max(1, parsed.data as number) : 600;
}

/** The factory the plugin serves. */
export const factory: BackendFactory = async (config) => litellmBackend(config);

const BACKEND_HELP = `
The LiteLLM secrets engine mints LiteLLM virtual API keys, scoped to a role's models and capped by
its budget, each bound to a lease: renewing the lease extends the key, revoking it deletes the key.

Configure it with config, define roles with roles/<name>, and read keys from creds/<name>.
`;
