/**
 * A Backend built from declarations, as Vault's framework.Backend: routes requests to paths,
 * checks fields before handlers run, answers help and OpenAPI, dispatches renew/revoke to
 * secret types, and runs WAL rollback and periodic work on the host's rollback tick.
 *
 * @module
 */
import type {
  Backend,
  BackendConfig,
  Request,
  Response,
  SpecialPaths,
  Storage,
} from "../logical.ts";
import { UnsupportedOperationError, UnsupportedPathError, UserInputError } from "../errors.ts";
import { parseFieldData } from "./field_data.ts";
import { pathHelpResponse, rootHelpResponse } from "./help.ts";
import { mergeRequestData, mergeWarnings, Router } from "./router.ts";
import type { Path } from "./path.ts";
import { SECRET_TYPE_KEY, type SecretType } from "./secret.ts";
import { rollbackStaleWal } from "./wal.ts";

/** Everything that makes a backend. */
export interface BackendDefinition {
  /** Root help text: what the engine does and where to start. */
  help: string;
  /** Paths, tried in order (the first matching pattern wins). */
  // deno-lint-ignore no-explicit-any
  paths: Path<any>[];
  /** Leased secret types, dispatched on `secret_type` for renew and revoke. */
  // deno-lint-ignore no-explicit-any
  secrets?: SecretType<any>[];
  /** Paths with special handling (e.g. seal-wrapped storage prefixes). */
  specialPaths?: Partial<SpecialPaths>;
  /**
   * Undoes the side effect a stale WAL entry guards (see `putWal`). Resolve to have the entry
   * deleted; throw to keep it for the next tick (the failure is logged).
   */
  walRollback?(req: Request, kind: string, data: unknown): Promise<void>;
  /**
   * WAL entries are handed to `walRollback` only once strictly older than this, so an entry
   * guarding work still in flight is never touched. Absent, 0 or negative means 600 s, as
   * Vault's WALRollbackMinAge.
   */
  walRollbackMinAgeSeconds?: number;
  /** Periodic work on the host's rollback tick (every minute by default), after WAL rollback. */
  periodic?(req: Request): Promise<void>;
  /** Runs once storage is writable (after setup). */
  initialize?(storage: Storage): Promise<void>;
  /** Runs when the mount goes away or the plugin reloads: drop clients and timers. */
  clean?(): Promise<void>;
  /** A storage key changed underneath this node (e.g. on a standby): drop caches of it. */
  invalidate?(key: string): void | Promise<void>;
  /** The clock, for WAL ages (tests inject one). @default () => new Date() */
  clock?: () => Date;
}

/** Vault's default minimum age of a WAL entry before rollback (WALRollbackMinAge). */
export const DEFAULT_WAL_ROLLBACK_MIN_AGE_SECONDS = 600;

/**
 * Builds a backend for one mount from `definition`.
 *
 * @throws {Error} when a path is malformed (see `Router`) or two secret types share a name.
 * @example
 * ```ts ignore
 * export const factory: BackendFactory = async (config) =>
 *   createBackend({ help: "Greetings", paths: [pathGreeting] }, config);
 * ```
 */
export function createBackend(definition: BackendDefinition, config: BackendConfig): Backend {
  const router = new Router(definition.paths);
  const clock = definition.clock ?? (() => new Date());
  const walMinAge = definition.walRollbackMinAgeSeconds ?? 0;
  const secrets = new Map<string, SecretType>();
  for (const secret of definition.secrets ?? []) {
    if (secrets.has(secret.type)) throw new Error(`Secret type "${secret.type}" is declared twice`);
    secrets.set(secret.type, secret);
  }

  function renewOrRevoke(req: Request): Promise<Response | undefined> {
    const kind = req.secret?.internalData[SECRET_TYPE_KEY];
    const secret = typeof kind === "string" ? secrets.get(kind) : undefined;
    if (!secret) throw new UserInputError("secret is unsupported by this backend");
    // The data is what this backend returned with the lease; parse it leniently so a changed
    // field declaration can never make a lease irrevocable.
    const data = parseFieldData(secret.fields ?? {}, req.data, { lenient: true });
    return req.operation === "renew" ? secret.renew(req, data) : secret.revoke(req, data);
  }

  async function rollback(req: Request): Promise<undefined> {
    // The host logs a failed rollback and tries again next tick; nothing here may break that
    // loop, so failures are logged and swallowed.
    if (definition.walRollback) {
      await rollbackStaleWal(req, definition.walRollback, {
        minAgeSeconds: walMinAge > 0 ? walMinAge : DEFAULT_WAL_ROLLBACK_MIN_AGE_SECONDS,
        now: clock(),
        logger: config.logger,
      });
    }
    try {
      await definition.periodic?.(req);
    } catch (error) {
      config.logger.error("periodic function failed", { error: messageOf(error) });
    }
    return undefined;
  }

  async function route(req: Request): Promise<Response | undefined> {
    const found = router.match(req.path, req.operation);
    if (!found) throw new UnsupportedPathError(`no path matches "${req.path}"`);
    const operations = found.path.operations;
    const handler = operations[req.operation] ??
      (req.operation === "create" ? operations.update : undefined);
    if (!handler && req.operation === "help") {
      return pathHelpResponse(found.path, req.path, { specialPaths: specialPaths() });
    }
    if (!handler) {
      throw new UnsupportedOperationError(`${req.operation} is not supported on "${req.path}"`);
    }
    const merged = mergeRequestData(found.path, req.data, found.captures);
    const data = parseFieldData(found.path.fields, merged.raw);
    const response = await handler.callback(req, data);
    const warnings = mergeWarnings(merged);
    // As Go's framework: warnings ride on a response; an absent one (404/204) stays absent.
    if (!response || warnings.length === 0) return response;
    return { ...response, warnings: [...(response.warnings ?? []), ...warnings] };
  }

  function specialPaths(): SpecialPaths {
    return {
      root: definition.specialPaths?.root ?? [],
      unauthenticated: definition.specialPaths?.unauthenticated ?? [],
      localStorage: definition.specialPaths?.localStorage ?? [],
      sealWrapStorage: definition.specialPaths?.sealWrapStorage ?? [],
    };
  }

  return {
    async handleRequest(req) {
      switch (req.operation) {
        case "renew":
        case "revoke":
          return await renewOrRevoke(req);
        case "rollback":
          return await rollback(req);
        case "help":
          if (req.path === "") {
            return await rootHelpResponse(definition.help, router.paths, {
              request: req,
              system: config.system,
              logger: config.logger,
              specialPaths: specialPaths(),
            });
          }
      }
      return await route(req);
    },

    async handleExistenceCheck(req) {
      if (req.operation !== "create" && req.operation !== "update") {
        throw new Error(`incorrect operation type ${req.operation} for an existence check`);
      }
      const found = router.match(req.path, req.operation);
      if (!found) throw new UnsupportedPathError(`no path matches "${req.path}"`);
      if (!found.path.existenceCheck) return { checkFound: false, exists: false };
      const { raw } = mergeRequestData(found.path, req.data, found.captures);
      const data = parseFieldData(found.path.fields, raw);
      return { checkFound: true, exists: await found.path.existenceCheck(req, data) };
    },

    specialPaths,
    async initialize(storage) {
      await definition.initialize?.(storage);
    },
    async cleanup() {
      await definition.clean?.();
    },
    async invalidateKey(key) {
      await definition.invalidate?.(key);
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
