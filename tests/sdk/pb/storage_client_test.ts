import assert from "node:assert/strict";
import { StorageError } from "../../../src/sdk/errors.ts";
import { StorageClient } from "../../../src/sdk/pb/storage_client.ts";
import { MemoryStorage } from "../../../src/sdk/testing/memory_storage.ts";
import { GrpcError, Status } from "../../../src/plugin/transport/types.ts";
import { storageContract } from "../storage_contract.ts";
import { fakeHost } from "./_fake_host.ts";

storageContract(
  "StorageClient over a fake host",
  () => new StorageClient(fakeHost({ storage: new MemoryStorage() }).invoke),
);

Deno.test("StorageClient calls the host's pb.Storage methods and keeps seal_wrap", async () => {
  const backing = new MemoryStorage();
  const host = fakeHost({ storage: backing });
  const storage = new StorageClient(host.invoke);
  await storage.put({ key: "config", value: new Uint8Array([1]), sealWrap: true });
  await storage.get("config");
  await storage.list("");
  await storage.delete("config");
  assert.deepEqual(host.calls.map((c) => c.method), [
    "/pb.Storage/Put",
    "/pb.Storage/Get",
    "/pb.Storage/List",
    "/pb.Storage/Delete",
  ]);
  assert.equal(backing.entries.size, 0);
});

Deno.test("StorageClient throws the host's err text verbatim as StorageError", async () => {
  const storage = new StorageClient(
    fakeHost({ storage: new MemoryStorage(), writeError: "cannot write to readonly storage" })
      .invoke,
  );
  for (
    const write of [
      () => storage.put({ key: "x", value: new Uint8Array() }),
      () => storage.delete("x"),
    ]
  ) {
    await assert.rejects(write(), (e: unknown) => {
      assert.ok(e instanceof StorageError);
      assert.equal(e.message, "cannot write to readonly storage");
      return true;
    });
  }
});

Deno.test("StorageClient leaves a gRPC failure a GrpcError", async () => {
  const storage = new StorageClient(() =>
    Promise.reject(new GrpcError(Status.UNAVAILABLE, "connection closed"))
  );
  await assert.rejects(
    storage.get("k"),
    (e: unknown) => e instanceof GrpcError && e.code === Status.UNAVAILABLE,
  );
});

Deno.test("StorageClient echoes snapshot_id and the signal on every call", async () => {
  const host = fakeHost({ storage: new MemoryStorage() });
  const abort = new AbortController();
  const storage = new StorageClient(host.invoke, { snapshotId: "snap-1", signal: abort.signal });
  await storage.put({ key: "k", value: new Uint8Array() });
  await storage.list("");
  for (const call of host.calls) {
    assert.deepEqual(call.options?.metadata, { snapshot_id: ["snap-1"] });
    assert.equal(call.options?.signal, abort.signal);
  }
  abort.abort();
  await assert.rejects(storage.get("k"), GrpcError);
});

Deno.test("StorageClient sends no snapshot_id metadata without one", async () => {
  const host = fakeHost({ storage: new MemoryStorage() });
  await new StorageClient(host.invoke).get("k");
  assert.equal(host.calls[0].options?.metadata, undefined);
});
