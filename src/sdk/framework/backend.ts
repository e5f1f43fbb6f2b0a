/**
 * A Backend built from declarations, as Vault's framework.Backend: routes requests to paths,
 * validates fields before handlers run, answers help and OpenAPI, dispatches renew/revoke to
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
import { backendHelpText, openApiDocument, pathHelpText } from "./openapi.ts";
import type { Fields, Path } from "./path.ts";
import { SECRET_TYPE_KEY, type SecretType } from "./secret.ts";
import { deleteWal, getWal, listWal } from "./wal.ts";

/** Everything that makes a backend. */
export interface BackendDefinition {
  /** Root help text. */
  help: string;
  /** Paths, matched in order. */
  // deno-lint-ignore no-explicit-any
  paths: Path<any>[];
  /** Leased secret types. */
  secrets?: SecretType[];
  /** Paths with special handling (e.g. seal-wrapped storage). */
  specialPaths?: Partial<SpecialPaths>;
  /** Undoes the side effect a stale WAL entry guards; throw to keep the entry for a later try. */
  walRollback?(req: Request, kind: string, data: unknown): Promise<void>;
  /** WAL entries younger than this are left alone (default 600 s, as Vault). */
  walRollbackMinAgeSeconds?: number;
  /** Periodic work on the rollback tick (every minute by default). */
  periodic?(req: Request): Promise<void>;
  /** Runs once storage is writable. */
  initialize?(storage: Storage): Promise<void>;
  /** Runs when the mount goes away or the plugin reloads. */
  clean?(): Promise<void>;
  /** A storage key changed underneath us. */
  invalidate?(key: string): void;
  /** The clock (tests inject one). */
  clock?: () => Date;
}

// deno-lint-ignore no-explicit-any
type AnyPath = Path<any>;
interface Route {
  path: AnyPath;
  regex: RegExp;
}

function matchRoute(
  routes: Route[],
  path: string,
): { route: Route; captures: Record<string, string> } | undefined {
  for (const route of routes) {
    const match = route.regex.exec(path);
    if (match) return { route, captures: { ...(match.groups ?? {}) } };
  }
  return undefined;
}

function mergeData(route: Route, req: Request, captures: Record<string, string>) {
  const warnings: string[] = [];
  const raw: Record<string, unknown> = { ...req.data };
  const replaced = Object.keys(captures).filter((k) => k in raw && raw[k] !== captures[k]);
  if (replaced.length > 0) {
    warnings.push(
      `Endpoint replaced the value of these parameters with the values captured from the endpoint's path: [${
        replaced.sort().join(" ")
      }]`,
    );
  }
  Object.assign(raw, captures);
  if (!route.path.takesArbitraryInput) {
    const unknown = Object.keys(req.data).filter((k) => !(k in route.path.fields)).sort();
    if (unknown.length > 0) {
      warnings.push(`Endpoint ignored these unrecognized parameters: [${unknown.join(" ")}]`);
    }
  }
  return { raw, warnings };
}

/** Builds a backend for one mount from `definition`. */
export function createBackend(definition: BackendDefinition, config: BackendConfig): Backend {
  const routes: Route[] = definition.paths.map((path) => ({
    path,
    regex: new RegExp(`^${path.pattern}$`),
  }));
  const clock = definition.clock ?? (() => new Date());
  const secrets = new Map((definition.secrets ?? []).map((s) => [s.type, s]));

  async function rollback(req: Request): Promise<void> {
    if (definition.walRollback) {
      const minAge = definition.walRollbackMinAgeSeconds ?? 600;
      const now = Math.floor(clock().getTime() / 1000);
      for (const id of await listWal(req.storage)) {
        const entry = await getWal(req.storage, id);
        if (!entry || now - entry.createdAt < minAge) continue;
        try {
          await definition.walRollback(req, entry.kind, entry.data);
          await deleteWal(req.storage, id);
        } catch (error) {
          config.logger.warn("WAL rollback failed; will retry", {
            wal_id: id,
            kind: entry.kind,
            error: (error as Error).message,
          });
        }
      }
    }
    await definition.periodic?.(req);
  }

  function renewOrRevoke(req: Request): Promise<Response | undefined> {
    const kind = req.secret?.internalData[SECRET_TYPE_KEY];
    const secret = typeof kind === "string" ? secrets.get(kind) : undefined;
    if (!secret) throw new UserInputError("secret is unsupported by this backend");
    return req.operation === "renew" ? secret.renew(req) : secret.revoke(req);
  }

  function help(req: Request): Response {
    const mountType = typeof req.data["requestResponsePrefix"] === "string"
      ? req.data["requestResponsePrefix"] as string
      : req.mountType;
    const found = req.path === "" ? undefined : matchRoute(routes, req.path);
    const paths = found ? [found.route.path] : routes.map((r) => r.path);
    return {
      data: {
        help: found
          ? pathHelpText(found.route.path as Path<Fields>)
          : backendHelpText(definition.help, paths),
        see_also: null,
        openapi: openApiDocument(paths as Path<Fields>[], {
          mountType,
          description: definition.help.trim().split("\n")[0],
        }),
      },
    };
  }

  return {
    async handleRequest(req) {
      switch (req.operation) {
        case "renew":
        case "revoke":
          return renewOrRevoke(req);
        case "rollback":
          await rollback(req);
          return undefined;
        case "help":
          return help(req);
      }
      const found = matchRoute(routes, req.path);
      if (!found) throw new UnsupportedPathError(`no path matches "${req.path}"`);
      const operations = found.route.path.operations;
      const handler = operations[req.operation] ??
        (req.operation === "create" ? operations.update : undefined);
      if (!handler) {
        throw new UnsupportedOperationError(`${req.operation} is not supported on "${req.path}"`);
      }
      const { raw, warnings } = mergeData(found.route, req, found.captures);
      const data = parseFieldData(found.route.path.fields, raw);
      const response = await handler.callback(req, data);
      if (warnings.length === 0) return response;
      return { ...(response ?? {}), warnings: [...(response?.warnings ?? []), ...warnings] };
    },

    async handleExistenceCheck(req) {
      if (req.operation !== "create" && req.operation !== "update") {
        throw new Error("existence check is only valid for create and update");
      }
      const found = matchRoute(routes, req.path);
      if (!found) throw new UnsupportedPathError(`no path matches "${req.path}"`);
      if (!found.route.path.existenceCheck) return { checkFound: false, exists: false };
      const { raw } = mergeData(found.route, req, found.captures);
      const data = parseFieldData(found.route.path.fields, raw);
      return { checkFound: true, exists: await found.route.path.existenceCheck(req, data) };
    },

    specialPaths: () => ({
      root: definition.specialPaths?.root ?? [],
      unauthenticated: definition.specialPaths?.unauthenticated ?? [],
      localStorage: definition.specialPaths?.localStorage ?? [],
      sealWrapStorage: definition.specialPaths?.sealWrapStorage ?? [],
    }),
    async initialize(storage) {
      await definition.initialize?.(storage);
    },
    async cleanup() {
      await definition.clean?.();
    },
    async invalidateKey(key) {
      definition.invalidate?.(key);
    },
  };
}
