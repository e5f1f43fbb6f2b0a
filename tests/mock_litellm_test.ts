/** The mock answers like LiteLLM: fields, status codes, error bodies, enforcement, faults. */
import assert from "node:assert/strict";
import { type MockLiteLLM, startMockLiteLLM } from "./mock_litellm.ts";
import { sha256Hex } from "./_mock_litellm_keys.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const MASTER = "sk-master-0123456789";

// deno-lint-ignore no-explicit-any
type Json = any;

async function call(
  mock: MockLiteLLM,
  path: string,
  body?: unknown,
  key: string | null = MASTER,
): Promise<{ status: number; body: Json }> {
  const response = await fetch(mock.url + path, {
    method: body === undefined ? "GET" : "POST",
    headers: key === null ? {} : { authorization: `Bearer ${key}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

function withMock(name: string, fn: (mock: MockLiteLLM) => Promise<void>, costPerCall = 1) {
  Deno.test({
    name,
    ...opts,
    async fn() {
      const mock = await startMockLiteLLM({ masterKey: MASTER, costPerCall });
      try {
        await fn(mock);
      } finally {
        await mock.close();
      }
    },
  });
}

withMock(
  "mock /key/generate answers with the key once, its hash and the request's fields",
  async (m) => {
    const gen = await call(m, "/key/generate", {
      key_alias: "a",
      models: ["m1"],
      max_budget: 2,
      duration: "60s",
      metadata: { team: "x" },
    });
    assert.equal(gen.status, 200);
    assert.match(gen.body.key, /^sk-/);
    assert.equal(gen.body.token, await sha256Hex(gen.body.key));
    assert.equal(gen.body.token_id, gen.body.token);
    assert.equal(gen.body.key_name, `sk-...${gen.body.key.slice(-4)}`);
    assert.deepEqual([gen.body.key_alias, gen.body.models, gen.body.max_budget], ["a", ["m1"], 2]);
    assert.ok(Math.abs(Date.parse(gen.body.expires) - Date.now() - 60_000) < 5000);
    assert.deepEqual(gen.body.metadata, { team: "x" });
    const row = m.keys.get(gen.body.token)!;
    assert.ok(!JSON.stringify(row).includes(gen.body.key), "the mock must not keep the plaintext");
  },
);

withMock("mock /key/generate refuses what LiteLLM refuses, with LiteLLM's codes", async (m) => {
  await call(m, "/key/generate", { key_alias: "a" });
  const dup = await call(m, "/key/generate", { key_alias: "a" });
  assert.equal(dup.status, 400);
  assert.deepEqual(dup.body.error, {
    message: "Key with alias 'a' already exists. Unique key aliases across all keys are required.",
    type: "bad_request_error",
    param: "key_alias",
    code: "400",
  });
  const bare = await call(m, "/key/generate", { duration: 60 });
  assert.equal(bare.status, 500);
  assert.match(bare.body.error.message, /Unsupported duration unit/);
  assert.equal((await call(m, "/key/generate", { models: "m1" })).status, 422);
  const tags = await call(m, "/key/generate", { tags: ["t"] });
  assert.equal(tags.status, 403);
  assert.match(tags.body.error.message, /Enterprise/);
  m.premium = true;
  assert.equal((await call(m, "/key/generate", { tags: ["t"] })).status, 200);
});

withMock("mock auth answers 401 like LiteLLM for missing, wrong and non-admin keys", async (m) => {
  const none = await call(m, "/key/list", undefined, null);
  assert.equal(none.status, 401);
  assert.equal(none.body.error.message, "Authentication Error, No api key passed in.");
  const wrong = await call(m, "/key/list", undefined, "not-a-key-1234");
  assert.equal(wrong.status, 401);
  assert.match(wrong.body.error.message, /Received=\*\*\*\*1234, expected to start with 'sk-'/);
  const unknown = await call(m, "/key/list", undefined, "sk-unknown-key");
  assert.equal(unknown.status, 401);
  assert.equal(unknown.body.error.type, "token_not_found_in_db");
  assert.ok(unknown.body.error.message.includes(await sha256Hex("sk-unknown-key")));
  assert.ok(!unknown.body.error.message.includes("sk-unknown-key"));
  const user = await m.mint({ user_id: "someone" });
  assert.equal((await call(m, "/key/list", undefined, user.key)).status, 401);
  const admin = await m.mint({ user_id: "vault-admin" });
  assert.equal((await call(m, "/key/list", undefined, admin.key)).status, 200);
  assert.deepEqual(await call(m, "/nope"), { status: 404, body: { detail: "Not Found" } });
});

Deno.test({
  name: "mock legacyEcho repeats a wrong non-sk key verbatim, as old LiteLLM releases did",
  ...opts,
  async fn() {
    const m = await startMockLiteLLM({ masterKey: MASTER, legacyEcho: true });
    try {
      const wrong = await call(m, "/key/list", undefined, "plain-secret-value");
      assert.match(wrong.body.error.message, /Received=plain-secret-value,/);
    } finally {
      await m.close();
    }
  },
});

withMock(
  "mock /key/info finds keys by plaintext or hash and drops the hash from the row",
  async (m) => {
    const made = await m.mint({ key_alias: "a" });
    for (const key of [made.key, made.token]) {
      const info = await call(m, `/key/info?key=${key}`);
      assert.equal(info.status, 200);
      assert.equal(info.body.key, key);
      assert.equal(info.body.info.key_alias, "a");
      assert.ok(!("token" in info.body.info));
    }
    assert.equal(
      (await call(
        m,
        "/key/info",
        undefined,
        (await m.mint({ user_id: "vault-admin", key_alias: "me" })).key,
      )).body.info.key_alias,
      "me",
    );
    assert.deepEqual((await call(m, "/key/info?key=sk-none")).body.error, {
      message: "Key not found in database",
      type: "not_found_error",
      param: "key",
      code: "404",
    });
  },
);

withMock("mock /key/update re-bases expiry and answers LiteLLM's errors", async (m) => {
  const made = await m.mint({ key_alias: "a", duration: "60s" });
  await m.mint({ key_alias: "b" });
  assert.equal((await call(m, "/key/update", { key: made.token, duration: "2h" })).status, 200);
  const expires = Date.parse(m.keys.get(made.token)!.expires!);
  assert.ok(Math.abs(expires - Date.now() - 7200_000) < 5000);
  await call(m, "/key/update", { key: made.key, duration: null });
  assert.equal(m.keys.get(made.token)!.expires, null);
  const unknown = await call(m, "/key/update", { key: "sk-none", duration: "1h" });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error.message, "{'error': 'Team not found, passed team_id=None'}");
  assert.equal((await call(m, "/key/update", { duration: "1h" })).status, 422);
  assert.equal((await call(m, "/key/update", { key: made.key, max_budget: -1 })).status, 400);
  assert.equal((await call(m, "/key/update", { key: made.key, key_alias: "b" })).status, 400);
  assert.equal((await call(m, "/key/update", { key: made.key, key_alias: "a" })).status, 200);
});

withMock("mock /key/delete deletes by keys or aliases and answers 404 No keys found", async (m) => {
  const a = await m.mint({ key_alias: "a" });
  const b = await m.mint({ key_alias: "b" });
  await m.mint({ key_alias: "c" });
  assert.deepEqual((await call(m, "/key/delete", { keys: [a.key] })).body, {
    deleted_keys: [a.key],
  });
  assert.equal((await call(m, "/key/delete", { keys: [b.token] })).status, 200);
  assert.equal((await call(m, "/key/delete", { key_aliases: ["c"] })).status, 200);
  assert.equal(m.keys.size, 0);
  const again = await call(m, "/key/delete", { key_aliases: ["c"] });
  assert.equal(again.status, 404);
  assert.deepEqual(again.body.error, {
    message: "{'error': 'No keys found'}",
    type: "internal_server_error",
    param: "None",
    code: "404",
  });
  assert.equal((await call(m, "/key/delete", {})).status, 500);
});

withMock("mock /key/list filters aliases exactly and pages like LiteLLM", async (m) => {
  for (let i = 0; i < 12; i++) await m.mint({ key_alias: `vault-x-${i}` });
  assert.equal((await call(m, "/key/list?key_alias=vault-")).body.total_count, 0);
  const one = await call(m, "/key/list?key_alias=vault-x-3&return_full_object=true");
  assert.equal(one.body.keys[0].key_alias, "vault-x-3");
  const page2 = await call(m, "/key/list?size=5&page=2");
  assert.deepEqual(
    [page2.body.total_count, page2.body.current_page, page2.body.total_pages],
    [12, 2, 3],
  );
  assert.match(page2.body.keys[0], /^[0-9a-f]{64}$/);
  assert.equal((await call(m, "/key/list?size=101")).status, 422);
});

withMock("mock regenerate is Enterprise-only and replaces the secret when premium", async (m) => {
  const made = await m.mint({ key_alias: "a", models: ["m"] });
  const refused = await call(m, `/key/${made.token}/regenerate`, {});
  assert.equal(refused.status, 500);
  assert.match(refused.body.error.message, /^Regenerating Virtual Keys is an Enterprise feature/);
  m.premium = true;
  const fresh = await call(m, `/key/${made.token}/regenerate`, {});
  assert.equal(fresh.status, 200);
  assert.equal(fresh.body.key_alias, "a");
  assert.equal(fresh.body.token_id, await sha256Hex(fresh.body.key));
  const chat = (key: string) => call(m, "/chat/completions", { model: "m" }, key);
  assert.equal((await chat(made.key)).status, 401);
  assert.equal((await chat(fresh.body.key)).status, 200);
});

withMock(
  "mock /chat/completions enforces key, expiry, models and budget, and adds spend",
  async (m) => {
    const made = await m.mint({ models: ["m1"], max_budget: 2, duration: "1h" });
    const chat = (model: string, key = made.key, path = "/chat/completions") =>
      call(m, path, { model, messages: [] }, key);
    assert.equal((await chat("m1")).status, 200);
    assert.equal(m.keys.get(made.token)!.spend, 1);
    const denied = await chat("m2");
    assert.equal(denied.status, 401);
    assert.equal(
      denied.body.error.message,
      "key not allowed to access model. This key can only access models=['m1']. Tried to access m2",
    );
    assert.equal((await chat("m1", made.key, "/v1/chat/completions")).status, 200);
    const over = await chat("m1");
    assert.equal(over.status, 400);
    assert.equal(over.body.error.type, "budget_exceeded");
    assert.match(
      over.body.error.message,
      /^Budget has been exceeded! Current cost: 2, Max budget: 2$/,
    );
    m.keys.get(made.token)!.expires = new Date(Date.now() - 1000).toISOString();
    const expired = await chat("m1");
    assert.equal(expired.status, 401);
    assert.equal(expired.body.error.type, "expired_key");
    assert.ok(!JSON.stringify(expired.body).includes(made.key));
    assert.equal((await chat("anything", MASTER)).status, 200);
    await call(m, "/key/delete", { keys: [made.token] });
    assert.equal((await chat("m1")).body.error.type, "token_not_found_in_db");
    assert.equal((await chat("m1", "")).status, 401);
  },
);

withMock("mock faults: status, per path, count, lost answers, drops, slowness, down", async (m) => {
  m.inject({ path: "/key/list", status: 503, count: 2 });
  assert.equal((await call(m, "/key/list")).status, 503);
  assert.equal((await call(m, "/key/info?key=x")).status, 404, "other paths are unaffected");
  assert.equal((await call(m, "/key/list")).status, 503);
  assert.equal((await call(m, "/key/list")).status, 200);
  m.inject({ path: "/key/generate", status: 502, after: true, count: 1 });
  assert.equal((await call(m, "/key/generate", { key_alias: "lost" })).status, 502);
  assert.equal(m.keys.size, 1, "the request took effect before the answer was lost");
  m.inject({ path: "/key/generate", drop: true, count: 1 });
  await assert.rejects(call(m, "/key/generate", {}));
  assert.equal(m.keys.size, 1);
  m.inject({ delayMs: 300, count: 1 });
  const started = Date.now();
  await call(m, "/key/list");
  assert.ok(Date.now() - started >= 290);
  const url = m.url;
  await m.down();
  await assert.rejects(fetch(url + "/health/liveliness"));
  m.up();
  assert.equal(m.url, url);
  assert.equal((await call(m, "/health/liveliness", undefined, null)).body, "I'm alive!");
});

Deno.test({
  name: "mock runs standalone and prints its URL",
  ...opts,
  async fn() {
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-net",
        "--allow-env",
        new URL("./mock_litellm.ts", import.meta.url).pathname,
        "--port",
        "0",
        "--master-key",
        MASTER,
      ],
      stdout: "piped",
      stderr: "null",
    }).spawn();
    try {
      const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
      const { value } = await reader.read();
      const url = /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(value ?? "")?.[1];
      assert.ok(url, `no URL in ${value}`);
      const r = await fetch(`${url}/key/list`, { headers: { authorization: `Bearer ${MASTER}` } });
      assert.equal(r.status, 200);
      await r.body?.cancel();
      reader.releaseLock();
    } finally {
      child.kill();
      await child.status;
      await child.stdout.cancel().catch(() => {});
    }
  },
});
