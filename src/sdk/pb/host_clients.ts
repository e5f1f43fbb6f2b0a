/**
 * The host's pb.Storage and pb.SystemView, called back over a brokered connection, as logical
 * Storage and SystemView. Storage errors arrive in the reply's `err` text with gRPC OK; they are
 * thrown as StorageError with the host's text unchanged (core forwards a request to the active
 * node when it sees "cannot write to readonly storage").
 *
 * @module
 */
import type {
  Entity,
  Group,
  PluginEnvironment,
  Storage,
  StorageEntry,
  SystemView,
} from "../logical.ts";
import { StorageError } from "../errors.ts";
import type { UnaryInvoker } from "../../plugin/transport/types.ts";
import { decode, encode } from "./codec.ts";
import type { PbEntity, PbGroup, PbStorageEntry } from "./messages.ts";
import { nanosToSeconds } from "./translate.ts";

async function call<T>(
  invoke: UnaryInvoker,
  method: string,
  request: [string, Record<string, unknown>],
  replyType: string,
): Promise<T> {
  const bytes = await invoke(method, encode(request[0], request[1]));
  return decode<T>(replyType, bytes);
}

function check(reply: { err?: string }): void {
  if (reply.err) throw new StorageError(reply.err);
}

/** Storage served by the host over `invoke`. */
export function createStorageClient(invoke: UnaryInvoker): Storage {
  return {
    async list(prefix) {
      const reply = await call<{ keys: string[]; err: string }>(
        invoke,
        "/pb.Storage/List",
        ["pb.StorageListArgs", { prefix }],
        "pb.StorageListReply",
      );
      check(reply);
      return reply.keys;
    },
    async get(key) {
      const reply = await call<{ entry: PbStorageEntry | null; err: string }>(
        invoke,
        "/pb.Storage/Get",
        ["pb.StorageGetArgs", { key }],
        "pb.StorageGetReply",
      );
      check(reply);
      if (!reply.entry) return undefined;
      const entry: StorageEntry = {
        key: reply.entry.key,
        value: reply.entry.value,
        sealWrap: reply.entry.seal_wrap,
      };
      return entry;
    },
    async put(entry) {
      const reply = await call<{ err: string }>(
        invoke,
        "/pb.Storage/Put",
        ["pb.StoragePutArgs", {
          entry: { key: entry.key, value: entry.value, seal_wrap: entry.sealWrap ?? false },
        }],
        "pb.StoragePutReply",
      );
      check(reply);
    },
    async delete(key) {
      const reply = await call<{ err: string }>(
        invoke,
        "/pb.Storage/Delete",
        ["pb.StorageDeleteArgs", { key }],
        "pb.StorageDeleteReply",
      );
      check(reply);
    },
  };
}

function entityFromPb(pb: PbEntity): Entity {
  return {
    id: pb.ID,
    name: pb.name,
    aliases: pb.aliases.map((a) => ({
      mountType: a.mount_type,
      mountAccessor: a.mount_accessor,
      name: a.name,
      metadata: a.metadata,
      id: a.ID,
    })),
    metadata: pb.metadata,
    disabled: pb.disabled,
    namespaceId: pb.namespace_id,
  };
}

function groupFromPb(pb: PbGroup): Group {
  return { id: pb.ID, name: pb.name, metadata: pb.metadata, namespaceId: pb.namespace_id };
}

/** SystemView served by the host over `invoke`. */
export function createSystemViewClient(invoke: UnaryInvoker): SystemView {
  const empty: [string, Record<string, unknown>] = ["pb.Empty", {}];
  return {
    async defaultLeaseTtlSeconds() {
      const reply = await call<{ TTL: string }>(
        invoke,
        "/pb.SystemView/DefaultLeaseTTL",
        empty,
        "pb.TTLReply",
      );
      return nanosToSeconds(reply.TTL);
    },
    async maxLeaseTtlSeconds() {
      const reply = await call<{ TTL: string }>(
        invoke,
        "/pb.SystemView/MaxLeaseTTL",
        empty,
        "pb.TTLReply",
      );
      return nanosToSeconds(reply.TTL);
    },
    async tainted() {
      return (await call<{ tainted: boolean }>(
        invoke,
        "/pb.SystemView/Tainted",
        empty,
        "pb.TaintedReply",
      )).tainted;
    },
    async replicationState() {
      return (await call<{ state: number }>(
        invoke,
        "/pb.SystemView/ReplicationState",
        empty,
        "pb.ReplicationStateReply",
      )).state;
    },
    async localMount() {
      return (await call<{ local: boolean }>(
        invoke,
        "/pb.SystemView/LocalMount",
        empty,
        "pb.LocalMountReply",
      )).local;
    },
    async entityInfo(entityId) {
      const reply = await call<{ entity: PbEntity | null; err: string }>(
        invoke,
        "/pb.SystemView/EntityInfo",
        ["pb.EntityInfoArgs", { entity_ID: entityId }],
        "pb.EntityInfoReply",
      );
      if (reply.err) throw new Error(reply.err);
      return reply.entity ? entityFromPb(reply.entity) : undefined;
    },
    async groupsForEntity(entityId) {
      const reply = await call<{ groups: PbGroup[]; err: string }>(
        invoke,
        "/pb.SystemView/GroupsForEntity",
        ["pb.EntityInfoArgs", { entity_ID: entityId }],
        "pb.GroupsForEntityReply",
      );
      if (reply.err) throw new Error(reply.err);
      return reply.groups.map(groupFromPb);
    },
    async pluginEnv(): Promise<PluginEnvironment> {
      const reply = await call<{
        plugin_environment: {
          vault_version: string;
          vault_version_prerelease: string;
          vault_version_metadata: string;
        } | null;
        err: string;
      }>(invoke, "/pb.SystemView/PluginEnv", empty, "pb.PluginEnvReply");
      if (reply.err) throw new Error(reply.err);
      const env = reply.plugin_environment;
      return {
        vaultVersion: env?.vault_version ?? "",
        vaultVersionPrerelease: env?.vault_version_prerelease ?? "",
        vaultVersionMetadata: env?.vault_version_metadata ?? "",
      };
    },
  };
}
