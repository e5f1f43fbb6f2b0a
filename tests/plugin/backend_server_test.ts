import assert from "node:assert/strict";
import { type BrokeredConnection, createBackendService } from "../../src/plugin/backend_server.ts";
import {
  type CallContext,
  GrpcError,
  type Metadata,
  Status,
} from "../../src/plugin/transport/types.ts";
import { decode, encode } from "../../src/sdk/pb/codec.ts";
import { CodedError, UserInputError } from "../../src/sdk/errors.ts";
import type {
  Backend,
  BackendConfig,
  ExistenceCheckResult,
  Request,
  Response,
  Storage,
} from "../../src/sdk/logical.ts";
import { MemoryLogger, MemoryStorage } from "../../src/sdk/testing/memory_storage.ts";
import { fakeHost } from "../sdk/pb/_fake_host.ts";

/** A backend that records what it was asked and answers what the test sets. */
class FakeBackend implements Backend {
  readonly config: BackendConfig;
  requests: Request[] = [];
  invalidated: string[] = [];
  cleanedUp = 0;
  initializedWith?: Storage;
  answer: (request: Request) => Promise<Response | undefined> = async () => undefined;
  exists: (request: Request) => Promise<ExistenceCheckResult> = async () => ({
    checkFound: true,
    exists: false,
  });
  initializeError?: Error;

  constructor(config: BackendConfig) {
    this.config = config;
  }
  async handleRequest(request: Request) {
    this.requests.push(request);
    return await this.answer(request);
  }
  async handleExistenceCheck(request: Request) {
    return await this.exists(request);
  }
  specialPaths() {
    return {
      root: ["rotate-root"],
      unauthenticated: [],
      localStorage: [],
      sealWrapStorage: ["config"],
    };
  }
  async initialize(storage: Storage) {
    this.initializedWith = storage;
    if (this.initializeError) throw this.initializeError;
    await storage.put({ key: "initialized", value: new Uint8Array([1]) });
  }
  async cleanup() {
    this.cleanedUp++;
  }
  async invalidateKey(key: string) {
    if (key === "explode") throw new Error("invalidate failed");
    this.invalidated.push(key);
  }
}

interface Harness {
  call(method: string, request: Uint8Array, metadata?: Metadata): Promise<Uint8Array>;
  backends: FakeBackend[];
  hosts: Map<number, ReturnType<typeof fakeHost> & { backing: MemoryStorage }>;
  closed: number[];
  logger: MemoryLogger;
  cleanupAll(): Promise<void>;
}

function harness(
  options: { multiplex?: boolean; factoryError?: Error; dialError?: Error } = {},
): Harness {
  const backends: FakeBackend[] = [];
  const hosts: Harness["hosts"] = new Map();
  const closed: number[] = [];
  const logger = new MemoryLogger();
  const service = createBackendService(async (config) => {
    if (options.factoryError) throw options.factoryError;
    const backend = new FakeBackend(config);
    backends.push(backend);
    return backend;
  }, {
    dialBroker: async (brokerId): Promise<BrokeredConnection> => {
      if (options.dialError) throw options.dialError;
      const backing = new MemoryStorage();
      const host = { ...fakeHost({ storage: backing }), backing };
      hosts.set(brokerId, host);
      return { invoke: host.invoke, close: async () => void closed.push(brokerId) };
    },
    logger,
    version: "v1.2.3",
    multiplex: options.multiplex ?? false,
  });
  return {
    call(method, request, metadata = { multiplex_id: ["m1"] }) {
      const ctx: CallContext = { metadata, signal: new AbortController().signal };
      const handler = service.handlers[method];
      assert.ok(handler, `no handler for ${method}`);
      return handler(request, ctx);
    },
    backends,
    hosts,
    closed,
    logger,
    cleanupAll: () => service.cleanupAll(),
  };
}

const EMPTY = encode("pb.Empty", {});

async function setup(h: Harness, brokerId: number, metadata?: Metadata): Promise<string> {
  const args = encode("pb.SetupArgs", {
    broker_id: brokerId,
    Config: { plugin_name: "litellm" },
    backendUUID: `uuid-${brokerId}`,
  });
  return decode("pb.SetupReply", await h.call("/pb.Backend/Setup", args, metadata)).err;
}

function requestArgs(request: Parameters<typeof encode<"pb.Request">>[1]): Uint8Array {
  return encode("pb.HandleRequestArgs", { request });
}

async function handle(h: Harness, bytes: Uint8Array, metadata?: Metadata) {
  return decode(
    "pb.HandleRequestReply",
    await h.call("/pb.Backend/HandleRequest", bytes, metadata),
  );
}

Deno.test("Setup dials the broker id and builds the backend with the host's config", async () => {
  const h = harness();
  assert.equal(await setup(h, 7), "");
  assert.deepEqual([...h.hosts.keys()], [7]);
  const [backend] = h.backends;
  assert.deepEqual(backend.config.config, { plugin_name: "litellm" });
  assert.equal(backend.config.backendUuid, "uuid-7");
  // The backend's storage and system view reach the host through the brokered connection.
  await backend.config.storage.put({ key: "k", value: new Uint8Array([5]) });
  assert.deepEqual([...h.hosts.get(7)!.backing.entries.keys()], ["k"]);
});

Deno.test("Type, SpecialPaths, Version and MultiplexingSupport answer from the service", async () => {
  const h = harness({ multiplex: true });
  await setup(h, 1);
  assert.equal(decode("pb.TypeReply", await h.call("/pb.Backend/Type", EMPTY)).type, 1);
  const { paths } = decode("pb.SpecialPathsReply", await h.call("/pb.Backend/SpecialPaths", EMPTY));
  assert.deepEqual(paths?.root, ["rotate-root"]);
  assert.deepEqual(paths?.seal_wrap_storage, ["config"]);
  const version = await h.call("/logical.PluginVersion/Version", encode("logical.Empty", {}));
  assert.equal(decode("logical.VersionReply", version).plugin_version, "v1.2.3");
  const support = await h.call(
    "/pluginutil.multiplexing.PluginMultiplexing/MultiplexingSupport",
    encode("pluginutil.multiplexing.MultiplexingSupportRequest", {}),
    {},
  );
  assert.equal(
    decode("pluginutil.multiplexing.MultiplexingSupportResponse", support).supported,
    true,
  );
});

Deno.test("HandleRequest translates the request and the response", async () => {
  const h = harness();
  await setup(h, 1);
  h.backends[0].answer = async (request) => {
    await request.storage.put({ key: "roles/dev", value: new Uint8Array([1]) });
    return { data: { name: request.data.name, echoed: request.path }, warnings: ["careful"] };
  };
  const reply = await handle(
    h,
    requestArgs({ id: "r1", operation: "update", path: "roles/dev", data: '{"name":"dev"}' }),
  );
  assert.equal(reply.err, null);
  assert.deepEqual(JSON.parse(reply.response!.data), { name: "dev", echoed: "roles/dev" });
  assert.deepEqual(reply.response!.warnings, ["careful"]);
  assert.equal(h.backends[0].requests[0].operation, "update");
  assert.ok(h.hosts.get(1)!.backing.entries.has("roles/dev"));
});

Deno.test("HandleRequest echoes the call's snapshot_id on the request's storage calls", async () => {
  const h = harness();
  await setup(h, 1);
  h.backends[0].answer = async (request) => {
    await request.storage.get("config");
    return undefined;
  };
  await handle(h, requestArgs({ operation: "read", path: "x" }), {
    multiplex_id: ["m1"],
    snapshot_id: ["snap-9"],
  });
  const calls = h.hosts.get(1)!.calls;
  assert.deepEqual(calls.at(-1)?.options?.metadata, { snapshot_id: ["snap-9"] });
});

Deno.test("HandleRequest replies with no response for an undefined one", async () => {
  const h = harness();
  await setup(h, 1);
  const reply = await handle(h, requestArgs({ operation: "read", path: "missing" }));
  assert.deepEqual(reply, { response: null, err: null });
});

Deno.test("HandleRequest puts backend errors in the reply, never a gRPC error", async (t) => {
  const h = harness();
  await setup(h, 1);
  await t.step("UserInputError -> error response data, no err", async () => {
    h.backends[0].answer = () => Promise.reject(new UserInputError("ttl is invalid"));
    const reply = await handle(h, requestArgs({ operation: "update", path: "roles/x" }));
    assert.equal(reply.err, null);
    assert.deepEqual(JSON.parse(reply.response!.data), { error: "ttl is invalid" });
  });
  await t.step("CodedError -> err_type 3 with the status", async () => {
    h.backends[0].answer = () => Promise.reject(new CodedError(429, "slow down"));
    const reply = await handle(h, requestArgs({ operation: "read", path: "creds/x" }));
    assert.deepEqual(reply.err, { err_type: 3, err_msg: "slow down", err_code: 429n });
  });
  await t.step("a response that cannot be serialised -> err_type 0", async () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    h.backends[0].answer = async () => ({ data: circular });
    const reply = await handle(h, requestArgs({ operation: "read", path: "x" }));
    assert.equal(reply.err?.err_type, 0);
    assert.equal(reply.response, null);
  });
});

Deno.test("HandleRequest without a request or with bad data is a gRPC error", async () => {
  const h = harness();
  await setup(h, 1);
  await assert.rejects(
    h.call("/pb.Backend/HandleRequest", encode("pb.HandleRequestArgs", {})),
    (e: unknown) => e instanceof GrpcError && e.code === Status.INVALID_ARGUMENT,
  );
  await assert.rejects(
    h.call("/pb.Backend/HandleRequest", requestArgs({ operation: "read", data: "{" })),
    (e: unknown) => e instanceof GrpcError && e.code === Status.INVALID_ARGUMENT,
  );
  assert.equal(h.backends[0].requests.length, 0);
});

Deno.test("HandleExistenceCheck answers the check and maps UserInputError to UserError", async () => {
  const h = harness();
  await setup(h, 1);
  const args = encode("pb.HandleExistenceCheckArgs", { request: { operation: "update" } });
  const method = "/pb.Backend/HandleExistenceCheck";
  assert.deepEqual(decode("pb.HandleExistenceCheckReply", await h.call(method, args)), {
    check_found: true,
    exists: false,
    err: null,
  });
  h.backends[0].exists = () => Promise.reject(new UserInputError("bad name"));
  const reply = decode("pb.HandleExistenceCheckReply", await h.call(method, args));
  assert.deepEqual(reply.err, { err_type: 1, err_msg: "bad name", err_code: 0n });
});

Deno.test("Initialize gives the backend writable storage and reports its error", async () => {
  const h = harness();
  await setup(h, 1);
  const init = encode("pb.InitializeArgs", {});
  assert.equal(
    decode("pb.InitializeReply", await h.call("/pb.Backend/Initialize", init)).err,
    null,
  );
  assert.ok(h.hosts.get(1)!.backing.entries.has("initialized"));
  h.backends[0].initializeError = new Error("migration failed");
  const reply = decode("pb.InitializeReply", await h.call("/pb.Backend/Initialize", init));
  assert.deepEqual(reply.err, { err_type: 0, err_msg: "migration failed", err_code: 0n });
});

Deno.test("InvalidateKey passes the key and swallows the backend's error", async () => {
  const h = harness();
  await setup(h, 1);
  const invalidate = (key: string) =>
    h.call("/pb.Backend/InvalidateKey", encode("pb.InvalidateKeyArgs", { key }));
  assert.deepEqual(await invalidate("config"), EMPTY);
  assert.deepEqual(await invalidate("explode"), EMPTY);
  assert.deepEqual(h.backends[0].invalidated, ["config"]);
  assert.ok(h.logger.lines.some((line) => line.includes("invalidate failed")));
});

Deno.test("multiplexing keeps one instance per multiplex_id", async () => {
  const h = harness({ multiplex: true });
  await setup(h, 1, { multiplex_id: ["a"] });
  await setup(h, 2, { multiplex_id: ["b"] });
  await handle(h, requestArgs({ path: "for-a" }), { multiplex_id: ["a"] });
  await handle(h, requestArgs({ path: "for-b" }), { multiplex_id: ["b"] });
  assert.deepEqual(h.backends.map((b) => b.requests.map((r) => r.path)), [["for-a"], ["for-b"]]);

  await h.call("/pb.Backend/Cleanup", EMPTY, { multiplex_id: ["a"] });
  assert.deepEqual(h.closed, [1]);
  assert.equal(h.backends[0].cleanedUp, 1);
  await assert.rejects(
    h.call("/pb.Backend/Type", EMPTY, { multiplex_id: ["a"] }),
    (e: unknown) =>
      e instanceof GrpcError && e.code === Status.UNKNOWN &&
      e.message === "no backend instance found",
  );
  assert.equal(
    decode("pb.TypeReply", await h.call("/pb.Backend/Type", EMPTY, { multiplex_id: ["b"] })).type,
    1,
  );
});

Deno.test("multiplexing refuses calls without exactly one non-empty multiplex_id", async (t) => {
  const h = harness({ multiplex: true });
  const cases: [Metadata, string][] = [
    [{}, "no multiplexing ID found"],
    [{ multiplex_id: ["a", "b"] }, "unexpected number of IDs in metadata: (2)"],
    [{ multiplex_id: [""] }, "empty multiplex ID in metadata"],
  ];
  for (const [metadata, message] of cases) {
    await t.step(message, async () => {
      await assert.rejects(setup(h, 1, metadata), { name: "GrpcError", message });
    });
  }
  assert.equal(h.backends.length, 0);
});

Deno.test("without multiplexing the single instance answers whatever the metadata", async () => {
  const h = harness();
  await setup(h, 1, { multiplex_id: ["x"] });
  const type = await h.call("/pb.Backend/Type", EMPTY, {});
  assert.equal(decode("pb.TypeReply", type).type, 1);
  await h.call("/pb.Backend/Cleanup", EMPTY, { multiplex_id: ["y"] });
  assert.equal(h.backends[0].cleanedUp, 1);
  await assert.rejects(h.call("/pb.Backend/Type", EMPTY), GrpcError);
});

Deno.test("Setup reports a factory error in the reply and closes the connection", async () => {
  const h = harness({ factoryError: new Error("bad config") });
  assert.equal(await setup(h, 3), "bad config");
  assert.deepEqual(h.closed, [3]);
  await assert.rejects(h.call("/pb.Backend/Type", EMPTY), GrpcError);
});

Deno.test("Setup fails the call when the broker cannot be dialled", async () => {
  const h = harness({ dialError: new Error("timeout waiting for connection info") });
  await assert.rejects(setup(h, 3), { message: "timeout waiting for connection info" });
});

Deno.test("Setup again for the same id replaces and cleans up the old instance", async () => {
  const h = harness();
  await setup(h, 1);
  await setup(h, 2);
  assert.equal(h.backends[0].cleanedUp, 1);
  assert.deepEqual(h.closed, [1]);
  await handle(h, requestArgs({ path: "p" }));
  assert.equal(h.backends[1].requests.length, 1);
});

Deno.test("cleanupAll cleans up every instance and closes every connection", async () => {
  const h = harness({ multiplex: true });
  await setup(h, 1, { multiplex_id: ["a"] });
  await setup(h, 2, { multiplex_id: ["b"] });
  await h.cleanupAll();
  assert.deepEqual(h.backends.map((b) => b.cleanedUp), [1, 1]);
  assert.deepEqual(h.closed.sort(), [1, 2]);
  await assert.rejects(h.call("/pb.Backend/Type", EMPTY, { multiplex_id: ["a"] }), GrpcError);
});
