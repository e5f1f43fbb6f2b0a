/**
 * The pb.Backend service, with logical.PluginVersion and pluginutil.multiplexing's
 * PluginMultiplexing, as a table of unary handlers (protocol.md §3.6-3.8; the Go SDK's
 * sdk/plugin/grpc_backend_server.go).
 *
 * Setup dials the host's broker for Storage and SystemView and builds a backend instance, kept
 * under the call's `multiplex_id` when the process serves several mounts, else under "single".
 * The other calls run on that instance. Backend faults travel in the reply's `err`, never as gRPC
 * errors; a gRPC error means the call itself was wrong (no instance, no request), as in Go.
 *
 * @module
 */
import type { Backend, BackendFactory, Logger, Request, Storage } from "../sdk/logical.ts";
import { decode, encode } from "../sdk/pb/codec.ts";
import { errorToProtoError, handleRequestErrorReply } from "../sdk/pb/errors.ts";
import { StorageClient } from "../sdk/pb/storage_client.ts";
import { SystemViewClient } from "../sdk/pb/system_view_client.ts";
import { requestFromPb, responseToPb } from "../sdk/pb/translate.ts";
import type { PbRequest } from "../sdk/pb/messages.ts";
import {
  type CallContext,
  GrpcError,
  type Metadata,
  Status,
  type UnaryHandler,
  type UnaryInvoker,
} from "./transport/types.ts";

/** A brokered connection to the host's Storage and SystemView. */
export interface BrokeredConnection {
  /** Calls a method on the host's brokered server. */
  invoke: UnaryInvoker;
  /** Closes the connection. */
  close(): Promise<void>;
}

/** Options of {@linkcode createBackendService}. */
export interface BackendServiceOptions {
  /** Dials the host's listener announced for `brokerId` on the broker stream. */
  dialBroker(brokerId: number, signal?: AbortSignal): Promise<BrokeredConnection>;
  /** Process logger; each backend gets it with its `backend_uuid`. */
  logger: Logger;
  /** Version reported to the host (e.g. "v0.1.0"). */
  version: string;
  /** Whether one process serves several mounts (answered to MultiplexingSupport). */
  multiplex: boolean;
}

/** The service's handlers, keyed by gRPC method path, and a way to clean up every instance. */
export interface BackendService {
  /** Method path (e.g. "/pb.Backend/HandleRequest") to handler. */
  handlers: Record<string, UnaryHandler>;
  /** Cleans up every backend instance and closes its connection (process shutdown). */
  cleanupAll(): Promise<void>;
}

interface Instance {
  backend: Backend;
  /** Storage for calls outside a request (Initialize). */
  storage: Storage;
  connection: BrokeredConnection;
}

/** Key of the one instance of a process that does not multiplex (Go's singleImplementationID). */
const SINGLE = "single";
/** Backend type reported by Type: a secrets engine (Go's logical.TypeLogical). */
const TYPE_LOGICAL = 1;
const EMPTY = encode("pb.Empty", {});

/**
 * Builds the Backend service for backends made by `factory`.
 *
 * @example
 * ```ts ignore
 * const service = createBackendService(factory, {
 *   dialBroker: (id, signal) => broker.dial(id, signal),
 *   logger,
 *   version: "v0.1.0",
 *   multiplex: true,
 * });
 * for (const [method, handler] of Object.entries(service.handlers)) server.addUnary(method, handler);
 * ```
 */
export function createBackendService(
  factory: BackendFactory,
  options: BackendServiceOptions,
): BackendService {
  const instances = new Map<string, Instance>();

  /** The key Setup stores under; a multiplexing process requires a valid `multiplex_id`. */
  function setupKey(ctx: CallContext): string {
    return options.multiplex ? multiplexId(ctx.metadata) : SINGLE;
  }

  /** The instance a call is for; like Go, falls back to the single instance. */
  function find(ctx: CallContext): [string, Instance] {
    if (options.multiplex) {
      const id = multiplexId(ctx.metadata);
      const instance = instances.get(id);
      if (instance) return [id, instance];
    }
    const single = instances.get(SINGLE);
    if (single) return [SINGLE, single];
    throw new GrpcError(Status.UNKNOWN, "no backend instance found");
  }

  async function dispose(instance: Instance): Promise<void> {
    try {
      await instance.backend.cleanup();
    } catch (error) {
      options.logger.warn("backend cleanup failed", { error: messageOf(error) });
    }
    await instance.connection.close().catch(() => {});
  }

  /** A request bound to storage that carries the call's snapshot id and cancellation. */
  function logicalRequest(
    request: PbRequest | null,
    instance: Instance,
    ctx: CallContext,
  ): Request {
    if (!request) throw new GrpcError(Status.INVALID_ARGUMENT, "call without a request");
    const storage = new StorageClient(instance.connection.invoke, {
      snapshotId: ctx.metadata["snapshot_id"]?.[0],
      signal: ctx.signal,
    });
    try {
      return requestFromPb(request, storage);
    } catch (error) {
      throw new GrpcError(Status.INVALID_ARGUMENT, `Cannot read the request: ${messageOf(error)}`);
    }
  }

  async function setup(bytes: Uint8Array, ctx: CallContext): Promise<Uint8Array> {
    const key = setupKey(ctx);
    const args = decode("pb.SetupArgs", bytes);
    // A dial failure is a gRPC error, as in Go; a factory failure goes in the reply.
    const connection = await options.dialBroker(args.broker_id, ctx.signal);
    let backend: Backend;
    try {
      backend = await factory({
        storage: new StorageClient(connection.invoke),
        system: new SystemViewClient(connection.invoke),
        logger: args.backendUUID
          ? options.logger.with({ backend_uuid: args.backendUUID })
          : options.logger,
        config: { ...args.Config },
        backendUuid: args.backendUUID,
      });
    } catch (error) {
      await connection.close().catch(() => {});
      options.logger.error("backend setup failed", { error: messageOf(error) });
      return encode("pb.SetupReply", { err: messageOf(error) });
    }
    const previous = instances.get(key);
    instances.set(key, { backend, storage: new StorageClient(connection.invoke), connection });
    if (previous) await dispose(previous);
    return encode("pb.SetupReply", {});
  }

  async function handleRequest(bytes: Uint8Array, ctx: CallContext): Promise<Uint8Array> {
    const [, instance] = find(ctx);
    const request = logicalRequest(decode("pb.HandleRequestArgs", bytes).request, instance, ctx);
    try {
      const response = await instance.backend.handleRequest(request);
      return encode("pb.HandleRequestReply", { response: response && responseToPb(response) });
    } catch (error) {
      return encode("pb.HandleRequestReply", handleRequestErrorReply(error));
    }
  }

  async function handleExistenceCheck(bytes: Uint8Array, ctx: CallContext): Promise<Uint8Array> {
    const [, instance] = find(ctx);
    const args = decode("pb.HandleExistenceCheckArgs", bytes);
    const request = logicalRequest(args.request, instance, ctx);
    try {
      const result = await instance.backend.handleExistenceCheck(request);
      return encode("pb.HandleExistenceCheckReply", {
        check_found: result.checkFound,
        exists: result.exists,
      });
    } catch (error) {
      return encode("pb.HandleExistenceCheckReply", { err: errorToProtoError(error) });
    }
  }

  async function specialPaths(_bytes: Uint8Array, ctx: CallContext): Promise<Uint8Array> {
    const paths = find(ctx)[1].backend.specialPaths();
    return encode("pb.SpecialPathsReply", {
      paths: {
        root: paths.root,
        unauthenticated: paths.unauthenticated,
        local_storage: paths.localStorage,
        seal_wrap_storage: paths.sealWrapStorage,
      },
    });
  }

  async function initialize(_bytes: Uint8Array, ctx: CallContext): Promise<Uint8Array> {
    const [, instance] = find(ctx);
    try {
      await instance.backend.initialize(instance.storage);
      return encode("pb.InitializeReply", {});
    } catch (error) {
      options.logger.error("backend initialize failed", { error: messageOf(error) });
      return encode("pb.InitializeReply", { err: errorToProtoError(error) });
    }
  }

  async function cleanup(_bytes: Uint8Array, ctx: CallContext): Promise<Uint8Array> {
    const [key, instance] = find(ctx);
    instances.delete(key);
    await dispose(instance);
    return EMPTY;
  }

  async function invalidateKey(bytes: Uint8Array, ctx: CallContext): Promise<Uint8Array> {
    const [, instance] = find(ctx);
    const { key } = decode("pb.InvalidateKeyArgs", bytes);
    try {
      await instance.backend.invalidateKey(key);
    } catch (error) {
      options.logger.warn("backend invalidate key failed", { key, error: messageOf(error) });
    }
    return EMPTY;
  }

  async function backendType(_bytes: Uint8Array, ctx: CallContext): Promise<Uint8Array> {
    find(ctx);
    return encode("pb.TypeReply", { type: TYPE_LOGICAL });
  }

  // Go answers Version from the backend instance, so it needs Setup first; ours is the process's
  // version, so it answers at any time.
  const version = encode("logical.VersionReply", { plugin_version: options.version });
  const multiplexing = encode("pluginutil.multiplexing.MultiplexingSupportResponse", {
    supported: options.multiplex,
  });

  return {
    handlers: {
      "/pb.Backend/Setup": setup,
      "/pb.Backend/HandleRequest": handleRequest,
      "/pb.Backend/HandleExistenceCheck": handleExistenceCheck,
      "/pb.Backend/SpecialPaths": specialPaths,
      "/pb.Backend/Initialize": initialize,
      "/pb.Backend/Cleanup": cleanup,
      "/pb.Backend/InvalidateKey": invalidateKey,
      "/pb.Backend/Type": backendType,
      "/logical.PluginVersion/Version": async () => version,
      "/pluginutil.multiplexing.PluginMultiplexing/MultiplexingSupport": async () => multiplexing,
    },
    async cleanupAll() {
      const all = [...instances.values()];
      instances.clear();
      await Promise.all(all.map(dispose));
    },
  };
}

/** The call's `multiplex_id`, checked as Go's pluginutil.GetMultiplexIDFromContext does. */
function multiplexId(metadata: Metadata): string {
  const ids = metadata["multiplex_id"] ?? [];
  if (ids.length === 0) throw new GrpcError(Status.UNKNOWN, "no multiplexing ID found");
  if (ids.length !== 1) {
    throw new GrpcError(Status.UNKNOWN, `unexpected number of IDs in metadata: (${ids.length})`);
  }
  if (!ids[0]) throw new GrpcError(Status.UNKNOWN, "empty multiplex ID in metadata");
  return ids[0];
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
