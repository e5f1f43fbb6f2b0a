/**
 * One contract for every Storage implementation (in memory, the gRPC client, ...): the same
 * assertions, so engine tests on memory storage mean what they say about the hosts' storage.
 */
import assert from "node:assert/strict";
import { StorageError } from "../../src/sdk/errors.ts";
import type { Storage } from "../../src/sdk/logical.ts";

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/**
 * Registers the storage contract's tests for `name`; `make` returns a fresh, empty storage.
 *
 * @example
 * ```ts ignore
 * storageContract("MemoryStorage", () => new MemoryStorage());
 * ```
 */
export function storageContract(name: string, make: () => Storage | Promise<Storage>): void {
  Deno.test(`${name} keeps the storage contract`, async (t) => {
    await t.step("get of a missing key is undefined", async () => {
      assert.equal(await (await make()).get("missing"), undefined);
    });

    await t.step("put then get returns the exact bytes and the seal-wrap flag", async () => {
      const storage = await make();
      const binary = new Uint8Array([0, 255, 1, 128, 10]);
      await storage.put({ key: "config", value: binary, sealWrap: true });
      await storage.put({ key: "plain", value: encode("{}") });
      const config = await storage.get("config");
      assert.equal(config?.key, "config");
      assert.deepEqual([...config!.value], [...binary]);
      assert.equal(config?.sealWrap, true);
      assert.equal((await storage.get("plain"))?.sealWrap, false);
    });

    await t.step(
      "put overwrites, and a caller's later change to its bytes is not stored",
      async () => {
        const storage = await make();
        const value = encode("one");
        await storage.put({ key: "k", value });
        value[0] = 0x4f;
        assert.equal(decode((await storage.get("k"))!.value), "one");
        await storage.put({ key: "k", value: encode("two") });
        assert.equal(decode((await storage.get("k"))!.value), "two");
      },
    );

    await t.step("list returns direct children, folders once with '/', in byte order", async () => {
      const storage = await make();
      for (const key of ["roles/b", "roles/a", "roles/sub/c", "roles/sub/d", "config", "rolesX"]) {
        await storage.put({ key, value: encode(key) });
      }
      assert.deepEqual(await storage.list("roles/"), ["a", "b", "sub/"]);
      assert.deepEqual(await storage.list(""), ["config", "roles/", "rolesX"]);
      assert.deepEqual(await storage.list("roles/sub/"), ["c", "d"]);
      // A prefix is a plain string prefix, not a folder: "rol" matches "roles/..." and "rolesX".
      assert.deepEqual(await storage.list("rol"), ["es/", "esX"]);
      assert.deepEqual(await storage.list("nothing/"), []);
    });

    await t.step("list orders by code point, not by UTF-16 unit", async () => {
      const storage = await make();
      // U+FF5E sorts before U+1F600 by code point (and UTF-8 bytes) but after it by UTF-16 unit.
      for (const key of ["k/\u{1F600}", "k/\uFF5E", "k/Z", "k/a"]) {
        await storage.put({ key, value: encode("x") });
      }
      assert.deepEqual(await storage.list("k/"), ["Z", "a", "\uFF5E", "\u{1F600}"]);
    });

    await t.step("delete removes the key, and deleting a missing key is not an error", async () => {
      const storage = await make();
      await storage.put({ key: "roles/a", value: encode("1") });
      await storage.put({ key: "roles/b", value: encode("2") });
      await storage.delete("roles/a");
      await storage.delete("roles/never");
      assert.equal(await storage.get("roles/a"), undefined);
      assert.deepEqual(await storage.list("roles/"), ["b"]);
    });

    await t.step("keys with '..' fail with StorageError and the hosts' text", async () => {
      const storage = await make();
      for (const key of ["../x", "a/../b", "a/.."]) {
        await assert.rejects(
          storage.put({ key, value: encode("x") }),
          (e: unknown) => e instanceof StorageError && e.message === "relative paths not supported",
          key,
        );
      }
      await assert.rejects(storage.get("a/.."), StorageError);
      await assert.rejects(storage.list("../"), StorageError);
      await assert.rejects(storage.delete("../x"), StorageError);
      assert.deepEqual(await storage.list(""), []);
    });
  });
}
