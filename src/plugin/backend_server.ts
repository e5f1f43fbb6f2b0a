/**
 * The pb.Backend service (with logical.PluginVersion and PluginMultiplexing) as unary handlers:
 * decodes each call, runs it on the backend instance named by the `multiplex_id` metadata and
 * encodes the reply. Backend faults travel in the reply's `err`, never as gRPC errors, as the Go
 * SDK's grpc_backend_server.go does.
 *
 * @module
 */
import type { Backend, BackendFactory, Logger, Storage } from "../sdk/logical.ts";
import { decode, encode } from "../sdk/pb/codec.ts";
import { errorToProtoError, requestErrorToPb } from "../sdk/pb/errors.ts";
import { createStorageClient, createSystemViewClient } from "../sdk/pb/host_clients.ts";
import type { PbRequest } from "../sdk/pb/messages.ts";
import { requestFromPb, responseToPb } from "../sdk/pb/translate.ts";
import {
  type CallContext,
  GrpcError,
  Status,
  type UnaryHandler,
  type UnaryInvoker,
} from "./transport/types.ts";

/** A brokered connection to the host's Storage and SystemView. */
export interface BrokeredConnection {
  /** Calls a method on the host. */
  invoke: UnaryInvoker;
  /** Closes the connection. */
  close(): Promise<void>;
}

/** Options of the backend service. */
export interface BackendServiceOptions {
  /** Dials the host's brokered listener announced for `brokerId`. */
  dialBroker(brokerId: number): Promise<BrokeredConnection>;
  /** Process logger. */
  logger: Logger;
  /** Version reported to the host (e.g. "v0.1.0"). */
  version: string;
  /** Whether one process serves several mounts. */
  multiplex: boolean;
}

interface Instance {
  backend: Backend;
  storage: Storage;
  connection: BrokeredConnection;
}

/** The service's handlers, keyed by gRPC method path, and a way to clean up every instance. */
export interface BackendService {
  /** Method path to handler. */
  handlers: Record<string, UnaryHandler>;
  /** Cleans up every backend instance (process shutdown). */
  cleanupAll(): Promise<void>;
}

/** Builds the Backend service for backends made by `factory`. */
export function createBackendService(
  factory: BackendFactory,
  options: BackendServiceOptions,
): BackendService {
  const instances = new Map<string, Instance>();
  const keyOf = (ctx: CallContext) =>
    options.multiplex ? (ctx.metadata["multiplex_id"]?.[0] ?? "") : "single";
  const instanceFor = (ctx: CallContext): Instance => {
    const key = keyOf(ctx);
    const instance = instances.get(key);
    if (!instance) {
      throw new GrpcError(Status.NOT_FOUND, `no backend instance for multiplex id "${key}"`);
    }
    return instance;
  };
  const empty = encode("pb.Empty", {});

  const handlers: Record<string, UnaryHandler> = {
    "/pb.Backend/Setup": async (bytes, ctx) => {
      const args = decode<
        { broker_ID: number; Config: Record<string, string>; backendUUID: string }
      >(
        "pb.SetupArgs",
        bytes,
      );
      const key = keyOf(ctx);
      try {
        const connection = await options.dialBroker(args.broker_ID);
        const storage = createStorageClient(connection.invoke);
        const backend = await factory({
          storage,
          system: createSystemViewClient(connection.invoke),
          logger: options.logger.with({
            mount: args.Config["mount_path"] ?? args.Config["plugin_name"] ?? "",
          }),
          config: args.Config,
          backendUuid: args.backendUUID,
        });
        const previous = instances.get(key);
        instances.set(key, { backend, storage, connection });
        if (previous) await previous.connection.close().catch(() => {});
        return encode("pb.SetupReply", {});
      } catch (error) {
        options.logger.error("backend setup failed", { error: (error as Error).message });
        return encode("pb.SetupReply", { err: (error as Error).message });
      }
    },
    "/pb.Backend/HandleRequest": async (bytes, ctx) => {
      const instance = instanceFor(ctx);
      const args = decode<{ request: PbRequest | null }>("pb.HandleRequestArgs", bytes);
      if (!args.request) return encode("pb.HandleRequestReply", {});
      try {
        const response = await instance.backend.handleRequest(
          requestFromPb(args.request, instance.storage),
        );
        return encode(
          "pb.HandleRequestReply",
          response ? { response: responseToPb(response) } : {},
        );
      } catch (error) {
        return encode("pb.HandleRequestReply", requestErrorToPb(error) as Record<string, unknown>);
      }
    },
    "/pb.Backend/HandleExistenceCheck": async (bytes, ctx) => {
      const instance = instanceFor(ctx);
      const args = decode<{ request: PbRequest | null }>("pb.HandleExistenceCheckArgs", bytes);
      if (!args.request) return encode("pb.HandleExistenceCheckReply", {});
      try {
        const result = await instance.backend.handleExistenceCheck(
          requestFromPb(args.request, instance.storage),
        );
        return encode("pb.HandleExistenceCheckReply", {
          check_found: result.checkFound,
          exists: result.exists,
        });
      } catch (error) {
        return encode("pb.HandleExistenceCheckReply", { err: errorToProtoError(error) });
      }
    },
    "/pb.Backend/SpecialPaths": async (_bytes, ctx) => {
      const paths = instanceFor(ctx).backend.specialPaths();
      return encode("pb.SpecialPathsReply", {
        paths: {
          root: paths.root,
          unauthenticated: paths.unauthenticated,
          local_storage: paths.localStorage,
          seal_wrap_storage: paths.sealWrapStorage,
        },
      });
    },
    "/pb.Backend/Initialize": async (_bytes, ctx) => {
      const instance = instanceFor(ctx);
      try {
        await instance.backend.initialize(instance.storage);
        return encode("pb.InitializeReply", {});
      } catch (error) {
        options.logger.error("backend initialize failed", { error: (error as Error).message });
        return encode("pb.InitializeReply", { err: errorToProtoError(error) });
      }
    },
    "/pb.Backend/Cleanup": async (_bytes, ctx) => {
      const key = keyOf(ctx);
      const instance = instances.get(key);
      instances.delete(key);
      if (instance) await cleanup(instance, options.logger);
      return empty;
    },
    "/pb.Backend/InvalidateKey": async (bytes, ctx) => {
      const { key } = decode<{ key: string }>("pb.InvalidateKeyArgs", bytes);
      await instances.get(keyOf(ctx))?.backend.invalidateKey(key);
      return empty;
    },
    "/pb.Backend/Type": async (_bytes, ctx) => {
      instanceFor(ctx);
      return encode("pb.TypeReply", { type: 1 });
    },
    "/logical.PluginVersion/Version": async () =>
      encode("logical.VersionReply", { plugin_version: options.version }),
    "/pluginutil.multiplexing.PluginMultiplexing/MultiplexingSupport": async () =>
      encode("pluginutil.multiplexing.MultiplexingSupportResponse", {
        supported: options.multiplex,
      }),
  };

  return {
    handlers,
    async cleanupAll() {
      const all = [...instances.values()];
      instances.clear();
      await Promise.all(all.map((instance) => cleanup(instance, options.logger)));
    },
  };
}

async function cleanup(instance: Instance, logger: Logger): Promise<void> {
  try {
    await instance.backend.cleanup();
  } catch (error) {
    logger.warn("backend cleanup failed", { error: (error as Error).message });
  }
  await instance.connection.close().catch(() => {});
}
