import assert from "node:assert/strict";
import { LiteLLMClient, LiteLLMError, maskKeys } from "../../src/litellm/client.ts";
import { startMockLiteLLM } from "../mock_litellm.ts";
import { MASTER_KEY, TEST_OPTIONS } from "./_setup.ts";

const request = { key_alias: "vault-dev-1", duration: "60s", models: ["m"], metadata: {} };

Deno.test({
  name: "LiteLLMClient generates, extends, reads and deletes keys",
  ...TEST_OPTIONS,
  async fn() {
    const mock = await startMockLiteLLM({ masterKey: MASTER_KEY });
    const client = new LiteLLMClient(mock.url + "/", MASTER_KEY, { backoffMs: 1 });
    try {
      const key = await client.generateKey(request);
      assert.match(key.key, /^sk-/);
      assert.ok(mock.keys.has(key.tokenHash));
      await client.extendKey(key.tokenHash, 3600);
      const row = await client.keyInfo(key.tokenHash);
      assert.ok(Date.parse(row!.expires!) > Date.now() + 3500_000);
      assert.equal((await client.listKeysByAliasPrefix("vault-")).length, 1);
      assert.equal(await client.deleteKeys({ keys: [key.tokenHash] }), true);
      assert.equal(
        await client.deleteKeys({ keys: [key.tokenHash] }),
        false,
        "a missing key must count as deleted",
      );
      assert.equal(await client.keyInfo(key.tokenHash), undefined);
    } finally {
      client.close();
      await mock.close();
    }
  },
});

Deno.test({
  name: "LiteLLMClient retries idempotent calls on 5xx but never generate",
  ...TEST_OPTIONS,
  async fn() {
    const mock = await startMockLiteLLM({ masterKey: MASTER_KEY });
    const client = new LiteLLMClient(mock.url, MASTER_KEY, { backoffMs: 1 });
    try {
      mock.inject({ path: "/key/list", status: 503, count: 2 });
      await client.verify();
      assert.equal(mock.requests.filter((r) => r.path === "/key/list").length, 3);
      mock.inject({ path: "/key/generate", status: 500, count: 1 });
      await assert.rejects(client.generateKey(request), (e: LiteLLMError) => e.status === 500);
      assert.equal(mock.requests.filter((r) => r.path === "/key/generate").length, 1);
    } finally {
      client.close();
      await mock.close();
    }
  },
});

Deno.test({
  name: "LiteLLMClient times out and reports an unreachable proxy without secrets",
  ...TEST_OPTIONS,
  async fn() {
    const mock = await startMockLiteLLM({ masterKey: MASTER_KEY });
    const client = new LiteLLMClient(mock.url, MASTER_KEY, { timeoutMs: 100, attempts: 1 });
    try {
      mock.inject({ delayMs: 500 });
      await assert.rejects(
        client.verify(),
        (e: LiteLLMError) => e.status === 0 && /timed out after 100 ms/.test(e.message),
      );
      mock.clearFaults();
      await mock.down();
      await assert.rejects(
        client.verify(),
        (e: LiteLLMError) => e.status === 0 && !e.message.includes(MASTER_KEY),
      );
    } finally {
      client.close();
      await mock.close();
    }
  },
});

Deno.test({
  name: "LiteLLMClient surfaces LiteLLM's 401 message with keys masked",
  ...TEST_OPTIONS,
  async fn() {
    const mock = await startMockLiteLLM({ masterKey: MASTER_KEY });
    const client = new LiteLLMClient(mock.url, "sk-wrong-master-key-value", { backoffMs: 1 });
    try {
      await assert.rejects(client.verify(), (e: LiteLLMError) => {
        assert.equal(e.status, 401);
        assert.match(e.message, /Authentication Error/);
        assert.doesNotMatch(e.message, /sk-wrong-master-key-value|sk-\.\.\.alue/);
        return true;
      });
    } finally {
      client.close();
      await mock.close();
    }
  },
});

Deno.test("maskKeys hides anything shaped like a LiteLLM key", () => {
  assert.equal(maskKeys("key sk-abcdef123 and sk-x_y-z9 end"), "key sk-*** and sk-*** end");
});

Deno.test({
  name: "LiteLLMClient counts a 404 as gone only when LiteLLM says the key was not found",
  ...TEST_OPTIONS,
  async fn() {
    const proxy = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      () => new Response("<html>404 Not Here</html>", { status: 404 }),
    );
    const client = new LiteLLMClient(`http://127.0.0.1:${proxy.addr.port}`, MASTER_KEY, {
      backoffMs: 1,
    });
    try {
      await assert.rejects(
        client.deleteKeys({ keys: ["abc"] }),
        (e: LiteLLMError) => e.status === 404,
      );
    } finally {
      client.close();
      await proxy.shutdown();
    }
  },
});
