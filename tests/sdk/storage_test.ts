import assert from "node:assert/strict";
import { MemoryStorage } from "../../src/sdk/testing/memory_storage.ts";
import { createStorageClient, createSystemViewClient } from "../../src/sdk/pb/host_clients.ts";
import { decode, encode } from "../../src/sdk/pb/codec.ts";
import { StorageError } from "../../src/sdk/errors.ts";
import type { UnaryInvoker } from "../../src/plugin/transport/types.ts";
import { storageContract } from "./storage_contract.ts";

/** A host that serves pb.Storage and pb.SystemView from memory, as bytes, like the real one. */
function fakeHost(backing: MemoryStorage, options: { readOnly?: boolean } = {}): UnaryInvoker {
  return async (method, bytes) => {
    switch (method) {
      case "/pb.Storage/List": {
        const { prefix } = decode<{ prefix: string }>("pb.StorageListArgs", bytes);
        return encode("pb.StorageListReply", { keys: await backing.list(prefix) });
      }
      case "/pb.Storage/Get": {
        const { key } = decode<{ key: string }>("pb.StorageGetArgs", bytes);
        const entry = await backing.get(key);
        return encode(
          "pb.StorageGetReply",
          entry ? { entry: { key, value: entry.value, seal_wrap: entry.sealWrap } } : {},
        );
      }
      case "/pb.Storage/Put": {
        if (options.readOnly) {
          return encode("pb.StoragePutReply", { err: "cannot write to readonly storage" });
        }
        const { entry } = decode<{ entry: { key: string; value: Uint8Array; seal_wrap: boolean } }>(
          "pb.StoragePutArgs",
          bytes,
        );
        await backing.put({ key: entry.key, value: entry.value, sealWrap: entry.seal_wrap });
        return encode("pb.StoragePutReply", {});
      }
      case "/pb.Storage/Delete": {
        const { key } = decode<{ key: string }>("pb.StorageDeleteArgs", bytes);
        await backing.delete(key);
        return encode("pb.StorageDeleteReply", {});
      }
      case "/pb.SystemView/DefaultLeaseTTL":
        return encode("pb.TTLReply", { TTL: "2764800000000000" });
      case "/pb.SystemView/MaxLeaseTTL":
        return encode("pb.TTLReply", { TTL: (200n * 86400n * 1_000_000_000n).toString() });
      case "/pb.SystemView/EntityInfo":
        return encode("pb.EntityInfoReply", {
          entity: { ID: "e1", name: "alice", aliases: [{ mount_type: "userpass", name: "alice" }] },
        });
      default:
        throw new Error(`unexpected ${method}`);
    }
  };
}

storageContract("MemoryStorage", () => new MemoryStorage());
storageContract(
  "the gRPC storage client",
  () => createStorageClient(fakeHost(new MemoryStorage())),
);

Deno.test("the gRPC storage client keeps seal_wrap and the host's error text", async () => {
  const backing = new MemoryStorage();
  await createStorageClient(fakeHost(backing)).put({
    key: "config",
    value: new Uint8Array([1]),
    sealWrap: true,
  });
  assert.equal(backing.entries.get("config")?.sealWrap, true);
  await assert.rejects(
    createStorageClient(fakeHost(backing, { readOnly: true })).put({
      key: "x",
      value: new Uint8Array(),
    }),
    (e: Error) => e instanceof StorageError && e.message === "cannot write to readonly storage",
  );
});

Deno.test("the gRPC system view converts nanoseconds to seconds exactly, beyond 2^53", async () => {
  const system = createSystemViewClient(fakeHost(new MemoryStorage()));
  assert.equal(await system.defaultLeaseTtlSeconds(), 768 * 3600);
  assert.equal(await system.maxLeaseTtlSeconds(), 200 * 86400);
  const entity = await system.entityInfo("e1");
  assert.equal(entity?.name, "alice");
  assert.equal(entity?.aliases[0].mountType, "userpass");
});
