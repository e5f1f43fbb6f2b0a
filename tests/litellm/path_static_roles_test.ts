import assert from "node:assert/strict";
import { listWal } from "../../src/sdk/mod.ts";
import { makeRequest, request } from "../_helpers.ts";
import { newEngine, TEST_OPTIONS } from "./_setup.ts";

async function chatStatus(url: string, key: string): Promise<number> {
  const r = await fetch(`${url}/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}` },
    body: '{"model":"m"}',
  });
  await r.body?.cancel();
  return r.status;
}

Deno.test({
  name: "static roles bind an existing key, return its secret and rotate it (community edition)",
  ...TEST_OPTIONS,
  async fn() {
    const e = await newEngine({ role: false });
    try {
      const original = await e.mock.mint({
        key_alias: "ci-pipeline",
        models: ["m"],
        max_budget: 7,
      });
      await assert.rejects(
        request(e, "update", "static-roles/ci", { key_alias: "nope" }),
        /no LiteLLM key has the alias/,
      );
      await request(e, "update", "static-roles/ci", {
        key_alias: "ci-pipeline",
        rotation_period: "24h",
      });
      assert.equal(e.storage.entries.get("static-roles/ci")?.sealWrap, true);
      const creds = (await request(e, "read", "static-creds/ci"))?.data;
      assert.equal(creds?.key_alias, "ci-pipeline");
      assert.notEqual(
        creds?.key,
        original.key,
        "binding must rotate (LiteLLM never returns an existing secret)",
      );
      assert.equal(await chatStatus(e.mock.url, String(creds?.key)), 200);
      assert.equal(await chatStatus(e.mock.url, original.key), 401);
      const row = [...e.mock.keys.values()].find((k) => k.key_alias === "ci-pipeline")!;
      assert.equal(row.max_budget, 7, "the successor lost the key's settings");
      assert.equal(e.mock.keys.size, 1);
      const read = (await request(e, "read", "static-roles/ci"))?.data;
      assert.deepEqual(Object.keys(read ?? {}).sort(), [
        "key_alias",
        "last_rotated",
        "rotation_period",
      ]);
      await request(e, "update", "rotate-role/ci");
      const rotated = (await request(e, "read", "static-creds/ci"))?.data;
      assert.notEqual(rotated?.key, creds?.key);
      assert.equal(await chatStatus(e.mock.url, String(creds?.key)), 401);
      assert.equal(await chatStatus(e.mock.url, String(rotated?.key)), 200);
      assert.deepEqual(await listWal(e.storage), []);
      await assert.rejects(
        request(e, "update", "static-roles/other", { key_alias: "ci-pipeline" }),
        /already manages/,
      );
      assert.deepEqual((await request(e, "list", "static-roles/"))?.data, { keys: ["ci"] });
      // Scheduled rotation.
      e.now.value = new Date(e.now.value.getTime() + 25 * 3600_000);
      await e.backend.handleRequest(makeRequest(e, "rollback", ""));
      assert.notEqual((await request(e, "read", "static-creds/ci"))?.data?.key, rotated?.key);
      await request(e, "delete", "static-roles/ci");
      assert.equal(e.mock.keys.size, 1, "deleting a static role must leave the key at LiteLLM");
    } finally {
      await e.mock.close();
    }
  },
});

Deno.test({
  name: "static roles regenerate in place on LiteLLM Enterprise",
  ...TEST_OPTIONS,
  async fn() {
    const e = await newEngine({ role: false });
    try {
      e.mock.premium = true;
      await e.mock.mint({ key_alias: "svc", models: ["m"] });
      await request(e, "update", "static-roles/svc", { key_alias: "svc" });
      assert.equal(e.mock.requests.filter((r) => r.path.endsWith("/regenerate")).length, 1);
      assert.equal(
        e.mock.requests.filter((r) => r.path === "/key/generate").length,
        1,
        "no successor on Enterprise",
      );
    } finally {
      await e.mock.close();
    }
  },
});

Deno.test({
  name: "a static rotation interrupted after the old key was deleted is completed by the rollback",
  ...TEST_OPTIONS,
  async fn() {
    const e = await newEngine({ role: false });
    try {
      // The successor exists under its temporary alias and the original is gone.
      await e.mock.mint({ key_alias: "svc-rotating-1", models: ["m"] });
      const { putWal } = await import("../../src/sdk/mod.ts");
      await putWal(e.storage, "static_rotate", {
        key_alias: "svc-rotating-1",
        original_alias: "svc",
      }, {
        now: new Date(Date.now() - 3600_000),
      });
      await e.backend.handleRequest(makeRequest(e, "rollback", ""));
      assert.deepEqual(
        [...e.mock.keys.values()].map((k) => k.key_alias),
        ["svc"],
      );
      assert.deepEqual(await listWal(e.storage), []);
    } finally {
      await e.mock.close();
    }
  },
});
