/** One contract for every Storage implementation. */
import assert from "node:assert/strict";
import type { Storage } from "../../src/sdk/logical.ts";

const enc = (s: string) => new TextEncoder().encode(s);

/** Runs the storage contract against storages made by `make`. */
export function storageContract(name: string, make: () => Promise<Storage> | Storage): void {
  Deno.test(`${name} stores, reads, lists (direct children) and deletes like Vault's storage`, async () => {
    const s = await make();
    assert.equal(await s.get("missing"), undefined);
    await s.put({ key: "roles/a", value: enc("1") });
    await s.put({ key: "roles/b", value: enc("2") });
    await s.put({ key: "roles/sub/c", value: enc("3") });
    await s.put({ key: "config", value: enc("{}"), sealWrap: true });
    assert.deepEqual(new TextDecoder().decode((await s.get("roles/b"))!.value), "2");
    assert.deepEqual(await s.list("roles/"), ["a", "b", "sub/"]);
    assert.deepEqual(await s.list(""), ["config", "roles/"]);
    await s.delete("roles/a");
    await s.delete("roles/never");
    assert.deepEqual(await s.list("roles/"), ["b", "sub/"]);
    assert.equal(await s.get("roles/a"), undefined);
  });
}
