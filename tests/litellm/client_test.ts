import assert from "node:assert/strict";
import { type GenerateKeyRequest, LiteLLMClient, LiteLLMError } from "../../src/litellm/client.ts";
import { sha256Hex } from "../../src/litellm/redact.ts";
import { type MockLiteLLM, startMockLiteLLM } from "../mock_litellm.ts";

// Kept apart from _setup.ts: the client needs no engine.
const MASTER_KEY = "sk-master-test-0123456789abcdef";
const TEST_OPTIONS = { sanitizeOps: false, sanitizeResources: false };

const request: GenerateKeyRequest = {
  key_alias: "vault-dev-1",
  duration: "60s",
  models: ["m"],
  metadata: {},
};

function paths(mock: MockLiteLLM): string[] {
  return mock.requests.map((r) => r.path);
}

function withClient(
  name: string,
  fn: (mock: MockLiteLLM, client: LiteLLMClient) => Promise<void>,
  options: { timeoutMs?: number; masterKey?: string; legacyEcho?: boolean } = {},
) {
  Deno.test({
    name,
    ...TEST_OPTIONS,
    async fn() {
      const mock = await startMockLiteLLM({
        masterKey: MASTER_KEY,
        legacyEcho: options.legacyEcho,
      });
      const client = new LiteLLMClient(mock.url + "/", options.masterKey ?? MASTER_KEY, {
        backoffMs: 1,
        timeoutMs: options.timeoutMs,
      });
      try {
        await fn(mock, client);
      } finally {
        client.close();
        await mock.close();
      }
    },
  });
}

withClient(
  "LiteLLMClient generates, extends, finds, lists and deletes keys",
  async (mock, client) => {
    const key = await client.generateKey(request);
    assert.match(key.key, /^sk-/);
    assert.equal(key.tokenHash, await sha256Hex(key.key));
    assert.ok(mock.keys.has(key.tokenHash));
    await client.extendKey(key.tokenHash, 3600);
    const row = await client.keyInfo(key.tokenHash);
    assert.ok(Date.parse(row!.expires!) > Date.now() + 3500_000);
    assert.equal(row!.token, key.tokenHash, "keyInfo must fill in the hash LiteLLM drops");
    assert.equal((await client.keyInfo(key.key))!.token, key.tokenHash);
    assert.equal((await client.findKeyByAlias("vault-dev-1"))!.token, key.tokenHash);
    assert.equal(await client.findKeyByAlias("vault-dev"), undefined);
    assert.deepEqual((await client.listKeys()).map((r) => r.key_alias), ["vault-dev-1"]);
    assert.equal(await client.deleteKeys({ keys: [key.tokenHash] }), true);
    assert.equal(await client.deleteKeys({ keys: [key.tokenHash] }), false, "gone counts as done");
    assert.equal(await client.deleteKeys({ keyAliases: ["vault-dev-1"] }), false);
    assert.equal(await client.keyInfo(key.tokenHash), undefined);
    await assert.rejects(client.extendKey(key.tokenHash, 60), (e: LiteLLMError) => e.keyNotFound);
  },
);

withClient("LiteLLMClient.listKeys reads every page", async (mock, client) => {
  for (let i = 0; i < 205; i++) await mock.mint({ key_alias: `k-${i}` });
  assert.equal((await client.listKeys()).length, 205);
  assert.equal(paths(mock).filter((p) => p === "/key/list").length, 3);
});

withClient("LiteLLMClient retries idempotent calls on 5xx, never on 4xx", async (mock, client) => {
  mock.inject({ path: "/key/list", status: 503, count: 2 });
  await client.verify();
  assert.equal(paths(mock).filter((p) => p === "/key/list").length, 3);
  mock.inject({ path: "/key/update", status: 400, count: 1 });
  await assert.rejects(client.extendKey("abc", 60), (e: LiteLLMError) => e.status === 400);
  assert.equal(paths(mock).filter((p) => p === "/key/update").length, 1);
  mock.inject({ path: "/key/info", status: 500 });
  await assert.rejects(client.keyInfo("abc"), (e: LiteLLMError) => e.status === 500);
  assert.equal(paths(mock).filter((p) => p === "/key/info").length, 3);
});

withClient(
  "LiteLLMClient retries generate with an alias after a 5xx, minting one key",
  async (mock, client) => {
    mock.inject({ path: "/key/generate", status: 500, count: 1 });
    await client.generateKey(request);
    assert.deepEqual(paths(mock), ["/key/generate", "/key/generate"]);
    assert.equal(mock.keys.size, 1);
  },
);

withClient("LiteLLMClient never retries generate without an alias", async (mock, client) => {
  mock.inject({ path: "/key/generate", status: 500, count: 1 });
  await assert.rejects(
    client.generateKey({ ...request, key_alias: "" }),
    (e: LiteLLMError) => e.status === 500,
  );
  assert.equal(mock.requests.length, 1);
});

for (const lost of [{ status: 502 }, { drop: true }]) {
  withClient(
    `LiteLLMClient replaces a key whose answer was lost (${JSON.stringify(lost)})`,
    async (mock, client) => {
      mock.inject({ path: "/key/generate", after: true, count: 1, ...lost });
      const key = await client.generateKey(request);
      // The first key exists but its secret is lost: it was deleted and a fresh one minted.
      assert.deepEqual(paths(mock), [
        "/key/generate",
        "/key/generate",
        "/key/delete",
        "/key/generate",
      ]);
      assert.deepEqual([...mock.keys.keys()], [key.tokenHash]);
      assert.equal(mock.keys.get(key.tokenHash)!.key_alias, "vault-dev-1");
    },
  );
}

withClient(
  "LiteLLMClient does not retry generate after a timeout (it may still commit)",
  async (mock, client) => {
    mock.inject({ path: "/key/generate", delayMs: 300, count: 1 });
    await assert.rejects(client.generateKey(request), (e: LiteLLMError) => {
      assert.equal(e.kind, "timeout");
      assert.equal(e.status, 0);
      assert.match(e.message, /^LiteLLM \/key\/generate failed: timed out after 100 ms$/);
      return true;
    });
    assert.equal(paths(mock).length, 1);
  },
  { timeoutMs: 100 },
);

withClient("LiteLLMClient never retries regenerate", async (mock, client) => {
  mock.premium = true;
  mock.inject({ path: "/key/", status: 503, count: 1 });
  await assert.rejects(client.regenerateKey("abc"), (e: LiteLLMError) => e.status === 503);
  assert.equal(mock.requests.length, 1);
  const made = await mock.mint({ key_alias: "a" });
  const fresh = await client.regenerateKey(made.token);
  assert.equal(fresh.tokenHash, await sha256Hex(fresh.key));
});

withClient(
  "LiteLLMClient reports an unreachable proxy as a network error",
  async (mock, client) => {
    await mock.down();
    await assert.rejects(client.verify(), (e: LiteLLMError) => {
      assert.equal(e.kind, "network");
      assert.equal(e.status, 0);
      assert.ok(!e.message.includes(MASTER_KEY));
      return true;
    });
  },
);

withClient(
  "LiteLLMClient surfaces LiteLLM's 401 without the key or its hash",
  async (_mock, client) => {
    const wrong = "sk-wrong-master-key-value";
    const hash = await sha256Hex(wrong);
    await assert.rejects(client.verify(), (e: LiteLLMError) => {
      assert.equal(e.status, 401);
      assert.match(e.message, /^LiteLLM \/key\/list answered 401: Authentication Error/);
      assert.ok(!e.message.includes(wrong) && !e.message.includes("alue"));
      assert.ok(!e.message.includes(hash), "the key's hash was shown");
      return true;
    });
  },
  { masterKey: "sk-wrong-master-key-value" },
);

withClient(
  "LiteLLMClient hides a wrong non-sk credential that LiteLLM echoes",
  async (_mock, client) => {
    await assert.rejects(client.verify(), (e: LiteLLMError) => {
      assert.match(e.message, /Received=\*\*\*, expected to start with 'sk-'/);
      assert.ok(!e.message.includes("plain-secret-value"));
      return true;
    });
  },
  { masterKey: "plain-secret-value", legacyEcho: true },
);

Deno.test({
  name: "LiteLLMClient counts a 404 as gone only when LiteLLM's envelope says so",
  ...TEST_OPTIONS,
  async fn() {
    const bodies = [
      new Response("<html>404 Not Here</html>", { status: 404 }),
      Response.json({ detail: "Not Found" }, { status: 404 }),
    ];
    for (const body of bodies) {
      const client = new LiteLLMClient("http://litellm.test", MASTER_KEY, {
        backoffMs: 1,
        fetch: () => Promise.resolve(body.clone()),
      });
      await assert.rejects(
        client.deleteKeys({ keys: ["abc"] }),
        (e: LiteLLMError) => e.status === 404 && !e.keyNotFound,
      );
      assert.equal(await client.keyInfo("abc").catch((e) => e.status), 404);
    }
  },
});

Deno.test("LiteLLMClient sends bearer auth and JSON through an injected fetch", async () => {
  const seen: Request[] = [];
  const client = new LiteLLMClient("https://litellm.test///", "sk-admin-123", {
    fetch: (input, init) => {
      seen.push(new Request(input, init));
      return Promise.resolve(Response.json({ key: "sk-new-key-1", expires: null }));
    },
  });
  const key = await client.generateKey(request);
  assert.equal(key.key, "sk-new-key-1");
  assert.equal(seen[0].url, "https://litellm.test/key/generate");
  assert.equal(seen[0].method, "POST");
  assert.equal(seen[0].headers.get("authorization"), "Bearer sk-admin-123");
  assert.equal(seen[0].headers.get("content-type"), "application/json");
  assert.deepEqual(await seen[0].json(), request);
});

Deno.test("LiteLLMClient refuses a 2xx answer that is not JSON, without retrying", async () => {
  let calls = 0;
  const client = new LiteLLMClient("http://litellm.test", MASTER_KEY, {
    backoffMs: 1,
    fetch: () => (calls++, Promise.resolve(new Response("<html>login</html>"))),
  });
  await assert.rejects(client.verify(), (e: LiteLLMError) => e.kind === "invalid_response");
  assert.equal(calls, 1);
  await assert.rejects(client.generateKey(request), /answered with a body that is not JSON/);
});

/** A private CA and a localhost certificate it signed (rustls refuses a CA as the leaf). */
async function privateCa(): Promise<{ ca: string; cert: string; key: string }> {
  const dir = await Deno.makeTempDir({ prefix: "litellm-ca-" });
  const run = async (...args: string[]) => {
    const out = await new Deno.Command("openssl", { args, cwd: dir, stderr: "piped" }).output();
    if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  };
  try {
    await Deno.writeTextFile(`${dir}/leaf.ext`, "subjectAltName=DNS:localhost\n");
    const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
    const days = ["-days", "1"];
    await run(
      "req",
      "-x509",
      ...ec,
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
      ...days,
      "-subj",
      "/CN=CA",
    );
    await run("req", ...ec, "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=localhost");
    const sign = ["-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-extfile", "leaf.ext"];
    await run("x509", "-req", "-in", "leaf.csr", ...sign, "-out", "leaf.pem", ...days);
    const read = (name: string) => Deno.readTextFile(`${dir}/${name}`);
    return { ca: await read("ca.pem"), cert: await read("leaf.pem"), key: await read("leaf.key") };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test({
  name: "LiteLLMClient trusts a private CA given as caCert and nothing else",
  ...TEST_OPTIONS,
  async fn() {
    const { ca, cert, key } = await privateCa();
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, cert, key, onListen: () => {} },
      () => Response.json({ keys: [], total_count: 0, current_page: 1, total_pages: 0 }),
    );
    const url = `https://localhost:${server.addr.port}`;
    const trusting = new LiteLLMClient(url, MASTER_KEY, { caCert: ca, attempts: 1 });
    const plain = new LiteLLMClient(url, MASTER_KEY, { attempts: 1 });
    try {
      await trusting.verify();
      await assert.rejects(plain.verify(), (e: LiteLLMError) => {
        assert.equal(e.kind, "network");
        assert.match(e.message, /certificate/i);
        return true;
      });
    } finally {
      trusting.close();
      plain.close();
      await server.shutdown();
    }
  },
});
