import assert from "node:assert/strict";
import { listWal, UserInputError } from "../../src/sdk/mod.ts";
import { makeRequest, request } from "../_helpers.ts";
import { MASTER_KEY, newEngine, TEST_OPTIONS } from "./_setup.ts";
import type { EngineUnderTest } from "./_setup.ts";

async function adminKey(e: EngineUnderTest): Promise<string> {
  const made = await e.mock.mint({ key_alias: "vault-admin", user_id: "vault-admin" });
  await request(e, "update", "config", { master_key: made.key });
  return made.key;
}

function storedSecret(e: EngineUnderTest): string {
  return JSON.parse(new TextDecoder().decode(e.storage.entries.get("config")!.value)).master_key;
}

Deno.test({
  name: "rotate-root refuses LiteLLM's master key, which LiteLLM cannot rotate",
  ...TEST_OPTIONS,
  async fn() {
    const e = await newEngine({ role: false });
    try {
      await assert.rejects(
        request(e, "update", "config/rotate-root"),
        (err: Error) =>
          err instanceof UserInputError &&
          /master key, which LiteLLM cannot rotate/.test(err.message),
      );
      assert.equal(storedSecret(e), MASTER_KEY);
    } finally {
      await e.mock.close();
    }
  },
});

Deno.test({
  name: "rotate-root replaces an admin virtual key with a successor on the community edition",
  ...TEST_OPTIONS,
  async fn() {
    const e = await newEngine({ role: false });
    try {
      const old = await adminKey(e);
      const response = await request(e, "update", "config/rotate-root");
      assert.deepEqual(response?.data, { rotated: true, method: "successor" });
      const fresh = storedSecret(e);
      assert.notEqual(fresh, old);
      assert.ok(!JSON.stringify(response).includes(fresh), "the new key was returned");
      const status = (key: string) =>
        fetch(`${e.mock.url}/key/list?size=1`, { headers: { authorization: `Bearer ${key}` } })
          .then((r) => {
            r.body?.cancel();
            return r.status;
          });
      assert.equal(await status(fresh), 200);
      assert.equal(await status(old), 401, "the old key still works");
      assert.deepEqual(await listWal(e.storage), []);
      // The engine keeps working with the new key.
      await request(e, "update", "roles/dev", { models: "m" });
      assert.match(String((await request(e, "read", "creds/dev"))?.data?.key), /^sk-/);
    } finally {
      await e.mock.close();
    }
  },
});

Deno.test({
  name: "rotate-root regenerates in place on LiteLLM Enterprise",
  ...TEST_OPTIONS,
  async fn() {
    const e = await newEngine({ role: false });
    try {
      e.mock.premium = true;
      const old = await adminKey(e);
      const response = await request(e, "update", "config/rotate-root");
      assert.equal(response?.data?.method, "regenerate");
      assert.notEqual(storedSecret(e), old);
      assert.equal(e.mock.keys.size, 1);
    } finally {
      await e.mock.close();
    }
  },
});

Deno.test({
  name: "scheduled rotation runs from the periodic function when rotation_period has passed",
  ...TEST_OPTIONS,
  async fn() {
    const e = await newEngine({ role: false });
    try {
      const old = await adminKey(e);
      await request(e, "update", "config", { rotation_period: "1h" });
      await e.backend.handleRequest(makeRequest(e, "rollback", ""));
      assert.notEqual(storedSecret(e), old, "the first tick rotates a key never rotated");
      const first = storedSecret(e);
      e.now.value = new Date(e.now.value.getTime() + 30 * 60_000);
      await e.backend.handleRequest(makeRequest(e, "rollback", ""));
      assert.equal(storedSecret(e), first, "rotated before the period passed");
      e.now.value = new Date(e.now.value.getTime() + 31 * 60_000);
      await e.backend.handleRequest(makeRequest(e, "rollback", ""));
      assert.notEqual(storedSecret(e), first);
      const read = (await request(e, "read", "config"))?.data;
      assert.equal(read?.rotation_period, 3600);
      assert.ok(!JSON.stringify(read).includes(storedSecret(e)));
    } finally {
      await e.mock.close();
    }
  },
});

Deno.test({
  name: "rotate-root warns when the old credential could not be deleted and still works",
  ...TEST_OPTIONS,
  async fn() {
    const e = await newEngine({ role: false });
    try {
      const old = await adminKey(e);
      e.mock.inject({ path: "/key/delete", status: 500 });
      const response = await request(e, "update", "config/rotate-root");
      assert.notEqual(storedSecret(e), old, "the new key must be stored all the same");
      const warnings = String(response?.warnings);
      assert.match(warnings, /could not be deleted at LiteLLM/);
      assert.match(warnings, /old credential is still accepted/);
      assert.ok(!warnings.includes(old) && !warnings.includes(storedSecret(e)));
    } finally {
      await e.mock.close();
    }
  },
});
