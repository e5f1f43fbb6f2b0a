import assert from "node:assert/strict";
import { z } from "zod";
import { readJson, writeJson } from "../../../src/sdk/framework/storage_json.ts";
import { MemoryStorage } from "../../../src/sdk/testing/memory_storage.ts";

const Role = z.object({ ttl: z.number() });

Deno.test("writeJson stores JSON that readJson reads back through its schema", async () => {
  const storage = new MemoryStorage();
  await writeJson(storage, "roles/a", { ttl: 60 });
  assert.deepEqual(await readJson(storage, "roles/a", Role), { ttl: 60 });
  assert.equal(new TextDecoder().decode(storage.entries.get("roles/a")!.value), '{"ttl":60}');
  assert.notEqual(storage.entries.get("roles/a")!.sealWrap, true);
});

Deno.test("writeJson asks for seal wrapping when told", async () => {
  const storage = new MemoryStorage();
  await writeJson(storage, "config", {}, { sealWrap: true });
  assert.equal(storage.entries.get("config")!.sealWrap, true);
});

Deno.test("readJson returns undefined for a missing entry", async () => {
  assert.equal(await readJson(new MemoryStorage(), "nope", Role), undefined);
});

Deno.test("readJson refuses an entry that no longer matches its schema or is not JSON", async () => {
  const storage = new MemoryStorage();
  await writeJson(storage, "roles/a", { ttl: "soon" });
  await assert.rejects(
    readJson(storage, "roles/a", Role),
    /stored entry "roles\/a" is malformed: /,
  );
  await storage.put({ key: "roles/b", value: new TextEncoder().encode("{oops") });
  await assert.rejects(readJson(storage, "roles/b", Role), /stored entry "roles\/b" is not JSON/);
});
