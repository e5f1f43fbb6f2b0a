/**
 * One place for test setup: a backend over in-memory storage and a fake system view, and
 * requests through its router as the host sends them (existence check first on writes).
 *
 * @example
 * ```ts ignore
 * const t = await newTestBackend((config) => litellmBackend(config), { maxTtlSeconds: 7200 });
 * await request(t, "update", "roles/dev", { ttl: "1h" });
 * const role = await request(t, "read", "roles/dev");
 * ```
 */
import {
  type Backend,
  type BackendConfig,
  type BackendDefinition,
  createBackend,
  type Operation,
  type Request,
  type Response,
  UnsupportedPathError,
} from "../src/sdk/mod.ts";
import { FakeSystemView, MemoryLogger, MemoryStorage } from "../src/sdk/testing/memory_storage.ts";

/** A backend under test with its storage, system view and log. */
export interface TestBackend {
  /** The backend, set up and initialized. */
  backend: Backend;
  /** Its storage (inspect `storage.entries`). */
  storage: MemoryStorage;
  /** Its system view (change `defaultTtl`/`maxTtl`, add entities). */
  system: FakeSystemView;
  /** Every line it logged. */
  logger: MemoryLogger;
  /** Mount point requests carry, with its trailing slash. @default "litellm/" */
  mountPoint?: string;
  /** Mount type requests carry. @default "vault-plugin-secrets-litellm" */
  mountType?: string;
}

/** Options of newTestBackend. */
export interface TestBackendOptions {
  /** The mount's default lease TTL. @default 768 h */
  defaultTtlSeconds?: number;
  /** The mount's max lease TTL. @default 768 h */
  maxTtlSeconds?: number;
  /** Mount options (`BackendConfig.config`). @default {} */
  config?: Record<string, string>;
  /** @default "litellm/" */
  mountPoint?: string;
  /** @default "vault-plugin-secrets-litellm" */
  mountType?: string;
}

/** What newTestBackend builds from: a backend factory, or a definition for createBackend. */
export type TestBackendFactory = (
  config: BackendConfig,
) => Backend | BackendDefinition | Promise<Backend | BackendDefinition>;

/**
 * Builds a backend over fresh in-memory storage and a fake system view, then initializes it.
 *
 * @param make A factory returning either a Backend or a BackendDefinition (then passed to
 *   createBackend with the same config).
 */
export async function newTestBackend(
  make: TestBackendFactory,
  options: TestBackendOptions = {},
): Promise<TestBackend> {
  const storage = new MemoryStorage();
  const system = new FakeSystemView();
  if (options.defaultTtlSeconds !== undefined) system.defaultTtl = options.defaultTtlSeconds;
  if (options.maxTtlSeconds !== undefined) system.maxTtl = options.maxTtlSeconds;
  const logger = new MemoryLogger();
  const config: BackendConfig = {
    storage,
    system,
    logger,
    config: options.config ?? {},
    backendUuid: crypto.randomUUID(),
  };
  const made = await make(config);
  const backend = "handleRequest" in made ? made : createBackend(made, config);
  await backend.initialize(storage);
  return {
    backend,
    storage,
    system,
    logger,
    mountPoint: options.mountPoint ?? "litellm/",
    mountType: options.mountType ?? "vault-plugin-secrets-litellm",
  };
}

/** A request as the host sends it (operation resolved, data decoded); `extra` overrides. */
export function makeRequest(
  t: TestBackend,
  operation: Operation,
  path: string,
  data: Record<string, unknown> = {},
  extra: Partial<Request> = {},
): Request {
  return {
    id: crypto.randomUUID(),
    operation,
    path,
    data,
    mountPoint: t.mountPoint ?? "litellm/",
    mountType: t.mountType ?? "vault-plugin-secrets-litellm",
    mountAccessor: "litellm_1234",
    clientToken: "hashed-token",
    clientTokenAccessor: "accessor",
    displayName: "token",
    entityId: "",
    headers: {},
    remoteAddr: "127.0.0.1",
    storage: t.storage,
    ...extra,
  };
}

/**
 * Sends a request through the router. Writes (`update` or `create`) first go through the
 * existence check, which picks `create` or `update` as the host does; list paths get their
 * trailing "/" as the HTTP layer adds it.
 *
 * @param extra Request fields to override (e.g. `{ entityId }`, `{ secret }`).
 */
export async function request(
  t: TestBackend,
  operation: Operation,
  path: string,
  data: Record<string, unknown> = {},
  extra: Partial<Request> = {},
): Promise<Response | undefined> {
  let op = operation;
  let target = path;
  if (op === "list" && !target.endsWith("/")) target += "/";
  if (op === "update" || op === "create") {
    const check = await t.backend.handleExistenceCheck(
      makeRequest(t, "update", target, data, extra),
    ).catch((error) => {
      // The host treats "unsupported path" from the check as "no check".
      if (error instanceof UnsupportedPathError) return { checkFound: false, exists: false };
      throw error;
    });
    op = check.checkFound && !check.exists ? "create" : "update";
  }
  return t.backend.handleRequest(makeRequest(t, op, target, data, extra));
}
