import assert from "node:assert/strict";
import { StorageError } from "../../../src/sdk/errors.ts";
import { MemoryStorage } from "../../../src/sdk/testing/memory_storage.ts";
import { storageContract } from "../storage_contract.ts";

storageContract("MemoryStorage", () => new MemoryStorage());

Deno.test("MemoryStorage refuses '.' segments too, as OpenBao does", async () => {
  const storage = new MemoryStorage();
  for (const key of [".", "./a", "a/./b", "a/."]) {
    await assert.rejects(storage.put({ key, value: new Uint8Array() }), StorageError, key);
  }
  await storage.put({ key: "a.b/.c", value: new Uint8Array([1]) });
  assert.deepEqual([...storage.entries.keys()], ["a.b/.c"]);
});

Deno.test("MemoryStorage get returns a copy the caller cannot use to change what is stored", async () => {
  const storage = new MemoryStorage();
  await storage.put({ key: "k", value: new Uint8Array([1, 2]) });
  (await storage.get("k"))!.value[0] = 9;
  assert.deepEqual([...(await storage.get("k"))!.value], [1, 2]);
});
