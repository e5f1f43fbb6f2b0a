/**
 * One place for test setup: a backend over in-memory storage and a fake system view, requests
 * through its router as the host would send them, and the mock LiteLLM.
 */
import type { Backend, BackendConfig, Operation, Request, Response } from "../src/sdk/mod.ts";
import { FakeSystemView, MemoryLogger, MemoryStorage } from "../src/sdk/testing/memory_storage.ts";

/** A backend under test with its storage, system view and log. */
export interface TestBackend {
  backend: Backend;
  storage: MemoryStorage;
  system: FakeSystemView;
  logger: MemoryLogger;
}

/** Builds a backend with `make` over fresh in-memory storage. */
export async function newTestBackend(
  make: (config: BackendConfig) => Backend | Promise<Backend>,
): Promise<TestBackend> {
  const storage = new MemoryStorage();
  const system = new FakeSystemView();
  const logger = new MemoryLogger();
  const backend = await make({
    storage,
    system,
    logger,
    config: {},
    backendUuid: crypto.randomUUID(),
  });
  await backend.initialize(storage);
  return { backend, storage, system, logger };
}

/** A request as the host sends it (operation resolved, data decoded). */
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
    mountPoint: "litellm/",
    mountType: "vault-plugin-secrets-litellm",
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
 * Sends a request through the router. For writes it runs the existence check first and turns
 * `update` into `create` when the target does not exist, as the host does.
 */
export async function request(
  t: TestBackend,
  operation: Operation,
  path: string,
  data: Record<string, unknown> = {},
  extra: Partial<Request> = {},
): Promise<Response | undefined> {
  let op = operation;
  if (op === "update" || op === "create") {
    const check = await t.backend.handleExistenceCheck(makeRequest(t, "update", path, data, extra));
    op = check.checkFound && !check.exists ? "create" : "update";
  }
  return t.backend.handleRequest(makeRequest(t, op, path, data, extra));
}
