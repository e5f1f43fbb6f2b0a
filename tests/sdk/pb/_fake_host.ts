/**
 * A fake host for tests: serves pb.Storage from a Storage and pb.SystemView from a SystemView,
 * as encoded bytes over a UnaryInvoker, the way the brokered server of Vault and OpenBao does
 * (storage failures in the reply's `err`, durations in nanoseconds). It records every call.
 */
import { decode, encode } from "../../../src/sdk/pb/codec.ts";
import type { Storage, SystemView } from "../../../src/sdk/logical.ts";
import { GrpcError, Status, type UnaryInvoker } from "../../../src/plugin/transport/types.ts";
import type { CallOptions } from "../../../src/plugin/transport/types.ts";

/** One recorded call. */
export interface HostCall {
  method: string;
  options: CallOptions | undefined;
}

/** What the fake host serves from, and how it misbehaves. */
export interface FakeHostOptions {
  /** Backing storage (errors become the reply's `err`). */
  storage: Storage;
  /** Backing system view; SystemView calls fail UNIMPLEMENTED without one. */
  system?: SystemView;
  /** Every write fails with this text, like a standby's read-only storage. */
  writeError?: string;
}

/** A fake host; `calls` lists what the plugin called, in order. */
export interface FakeHost {
  invoke: UnaryInvoker;
  calls: HostCall[];
}

function errText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Builds a fake host serving `options.storage` and `options.system`. */
export function fakeHost(options: FakeHostOptions): FakeHost {
  const calls: HostCall[] = [];
  const { storage, system } = options;
  const ns = (seconds: number) => BigInt(seconds) * 1_000_000_000n;

  async function serve(method: string, bytes: Uint8Array): Promise<Uint8Array> {
    switch (method) {
      case "/pb.Storage/List": {
        const { prefix } = decode("pb.StorageListArgs", bytes);
        return await storage.list(prefix).then(
          (keys) => encode("pb.StorageListReply", { keys }),
          (e) => encode("pb.StorageListReply", { err: errText(e) }),
        );
      }
      case "/pb.Storage/Get": {
        const { key } = decode("pb.StorageGetArgs", bytes);
        return await storage.get(key).then(
          (entry) =>
            encode("pb.StorageGetReply", {
              entry: entry && { key, value: entry.value, seal_wrap: entry.sealWrap ?? false },
            }),
          (e) => encode("pb.StorageGetReply", { err: errText(e) }),
        );
      }
      case "/pb.Storage/Put": {
        if (options.writeError) return encode("pb.StoragePutReply", { err: options.writeError });
        const { entry } = decode("pb.StoragePutArgs", bytes);
        if (!entry) return encode("pb.StoragePutReply", { err: "cannot write nil entry" });
        return await storage
          .put({ key: entry.key, value: entry.value, sealWrap: entry.seal_wrap })
          .then(
            () => encode("pb.StoragePutReply", {}),
            (e) => encode("pb.StoragePutReply", { err: errText(e) }),
          );
      }
      case "/pb.Storage/Delete": {
        if (options.writeError) return encode("pb.StorageDeleteReply", { err: options.writeError });
        const { key } = decode("pb.StorageDeleteArgs", bytes);
        return await storage.delete(key).then(
          () => encode("pb.StorageDeleteReply", {}),
          (e) => encode("pb.StorageDeleteReply", { err: errText(e) }),
        );
      }
    }
    if (!system) throw new GrpcError(Status.UNIMPLEMENTED, `unknown method ${method}`);
    switch (method) {
      case "/pb.SystemView/DefaultLeaseTTL":
        return encode("pb.TTLReply", { TTL: ns(await system.defaultLeaseTtlSeconds()) });
      case "/pb.SystemView/MaxLeaseTTL":
        return encode("pb.TTLReply", { TTL: ns(await system.maxLeaseTtlSeconds()) });
      case "/pb.SystemView/Tainted":
        return encode("pb.TaintedReply", { tainted: await system.tainted() });
      case "/pb.SystemView/ReplicationState":
        return encode("pb.ReplicationStateReply", { state: await system.replicationState() });
      case "/pb.SystemView/LocalMount":
        return encode("pb.LocalMountReply", { local: await system.localMount() });
      case "/pb.SystemView/EntityInfo": {
        const { entity_id } = decode("pb.EntityInfoArgs", bytes);
        const entity = await system.entityInfo(entity_id);
        return encode("pb.EntityInfoReply", {
          entity: entity && {
            ID: entity.id,
            name: entity.name,
            aliases: entity.aliases.map((a) => ({
              mount_type: a.mountType,
              mount_accessor: a.mountAccessor,
              name: a.name,
              metadata: a.metadata,
              ID: a.id,
            })),
            metadata: entity.metadata,
            disabled: entity.disabled,
            namespace_id: entity.namespaceId,
          },
        });
      }
      case "/pb.SystemView/GroupsForEntity": {
        const { entity_id } = decode("pb.EntityInfoArgs", bytes);
        const groups = await system.groupsForEntity(entity_id);
        return encode("pb.GroupsForEntityReply", {
          groups: groups.map((g) => ({
            ID: g.id,
            name: g.name,
            metadata: g.metadata,
            namespace_id: g.namespaceId,
          })),
        });
      }
      case "/pb.SystemView/PluginEnv": {
        const env = await system.pluginEnv();
        return encode("pb.PluginEnvReply", {
          plugin_environment: {
            vault_version: env.vaultVersion,
            vault_version_prerelease: env.vaultVersionPrerelease,
            vault_version_metadata: env.vaultVersionMetadata,
          },
        });
      }
    }
    throw new GrpcError(Status.UNIMPLEMENTED, `unknown method ${method}`);
  }

  return {
    calls,
    invoke: (method, bytes, callOptions) => {
      calls.push({ method, options: callOptions });
      if (callOptions?.signal?.aborted) {
        return Promise.reject(new GrpcError(Status.CANCELLED, "call cancelled"));
      }
      return serve(method, bytes);
    },
  };
}
