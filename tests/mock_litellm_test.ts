import assert from "node:assert/strict";
import { startMockLiteLLM } from "./mock_litellm.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const MASTER = "sk-master";

async function call(url: string, path: string, body: unknown, key = MASTER, method = "POST") {
  const response = await fetch(url + path, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: method === "GET" ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

Deno.test({
  name: "mock LiteLLM answers the key API like LiteLLM and enforces keys on chat",
  ...opts,
  async fn() {
    const mock = await startMockLiteLLM({ masterKey: MASTER, costPerCall: 1 });
    try {
      assert.equal((await call(mock.url, "/key/generate", {}, "sk-bad")).status, 401);
      const gen = await call(mock.url, "/key/generate", {
        key_alias: "a",
        models: ["m1"],
        max_budget: 2,
        duration: "60s",
      });
      assert.equal(gen.status, 200);
      assert.match(gen.body.key, /^sk-/);
      assert.equal(gen.body.token.length, 64);
      const dup = await call(mock.url, "/key/generate", { key_alias: "a" });
      assert.equal(dup.status, 400);
      assert.match(dup.body.error.message, /already exists/);
      assert.equal((await call(mock.url, "/key/generate", { duration: 60 })).status, 500);
      const chat = (model: string) =>
        call(mock.url, "/chat/completions", { model, messages: [] }, gen.body.key);
      assert.equal((await chat("m1")).status, 200);
      const denied = await chat("m2");
      assert.equal(denied.status, 401);
      assert.equal(denied.body.error.type, "key_model_access_denied");
      assert.equal((await chat("m1")).status, 200);
      const over = await chat("m1");
      assert.equal(over.status, 400);
      assert.equal(over.body.error.type, "budget_exceeded");
      assert.equal(
        (await call(mock.url, `/key/info?key=${gen.body.token}`, undefined, MASTER, "GET")).status,
        200,
      );
      assert.equal((await call(mock.url, "/key/delete", { key_aliases: ["a"] })).status, 200);
      assert.equal((await call(mock.url, "/key/delete", { key_aliases: ["a"] })).status, 404);
      assert.equal((await chat("m1")).status, 401);
      const regen = await call(mock.url, "/key/x/regenerate", {});
      assert.equal(regen.status, 500);
      assert.match(regen.body.error.message, /Enterprise/);
    } finally {
      await mock.close();
    }
  },
});

Deno.test({
  name: "mock LiteLLM refuses expired keys and can go down and come back",
  ...opts,
  async fn() {
    const mock = await startMockLiteLLM({ masterKey: MASTER });
    try {
      const gen = await call(mock.url, "/key/generate", { models: ["m"], duration: "1s" });
      mock.keys.get(gen.body.token)!.expires = new Date(Date.now() - 1000).toISOString();
      const expired = await call(mock.url, "/chat/completions", { model: "m" }, gen.body.key);
      assert.equal(expired.status, 400);
      assert.equal(expired.body.error.type, "expired_key");
      await mock.down();
      await assert.rejects(fetch(mock.url + "/health/liveliness"));
      mock.up();
      assert.equal(
        await fetch(mock.url + "/health/liveliness").then((r) => r.json()),
        "I'm alive!",
      );
    } finally {
      await mock.close();
    }
  },
});
