import assert from "node:assert/strict";
import { listWal, putWal, UserInputError } from "../../src/sdk/mod.ts";
import { makeRequest, request } from "../_helpers.ts";
import { MASTER_KEY, newEngine, TEST_OPTIONS } from "./_setup.ts";

async function chat(url: string, key: string, model: string): Promise<number> {
  const r = await fetch(`${url}/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}` },
    body: JSON.stringify({ model }),
  });
  await r.body?.cancel();
  return r.status;
}

Deno.test({
  name: "pathCreds mints a scoped key under a lease; renew extends it; revoke deletes it",
  ...TEST_OPTIONS,
  async fn() {
    const e = await newEngine();
    try {
      const issued = await request(e, "read", "creds/dev");
      const key = String(issued?.data?.key);
      assert.match(key, /^sk-/);
      assert.deepEqual(issued?.data?.models, ["gpt-4o-mini"]);
      assert.equal(issued?.secret?.leaseOptions.ttlSeconds, 3600);
      assert.equal(issued?.secret?.leaseOptions.maxTtlSeconds, 7200);
      assert.equal(issued?.secret?.leaseOptions.renewable, true);
      const internal = issued!.secret!.internalData;
      assert.deepEqual(Object.keys(internal).sort(), [
        "key_alias",
        "role",
        "secret_type",
        "token_hash",
      ]);
      assert.ok(!JSON.stringify(internal).includes(key), "the lease must not keep the key");
      assert.ok(
        !JSON.stringify(
          [...e.storage.entries.values()].map((v) => new TextDecoder().decode(v.value)),
        ).includes(key),
      );
      assert.deepEqual(
        await listWal(e.storage),
        [],
        "the WAL entry must be gone once the lease exists",
      );

      const row = e.mock.keys.get(String(internal.token_hash))!;
      assert.deepEqual(row.models, ["gpt-4o-mini"]);
      assert.equal(row.max_budget, 5);
      assert.equal(row.metadata.vault_role, "dev");
      assert.equal(row.metadata.vault_mount_path, "litellm/");
      assert.ok(Date.parse(row.expires!) <= Date.now() + 3600_000 + 5000);
      assert.equal(await chat(e.mock.url, key, "gpt-4o-mini"), 200);
      assert.equal(await chat(e.mock.url, key, "gpt-4o"), 401);

      const secret = {
        ...issued!.secret!,
        leaseOptions: { ...issued!.secret!.leaseOptions, incrementSeconds: 1800 },
      };
      const renewed = await e.backend.handleRequest(
        makeRequest(e, "renew", "creds/dev", {}, { secret }),
      );
      assert.equal(renewed?.secret?.leaseOptions.ttlSeconds, 1800);
      assert.ok(
        Math.abs(Date.parse(row.expires!) - (Date.now() + 1800_000)) < 5000,
        "LiteLLM expiry not moved with the lease",
      );

      await e.backend.handleRequest(makeRequest(e, "revoke", "creds/dev", {}, { secret }));
      assert.equal(e.mock.keys.size, 0);
      assert.equal(await chat(e.mock.url, key, "gpt-4o-mini"), 401);
      // Revoking again (the host retries) succeeds: the key is already gone.
      await e.backend.handleRequest(makeRequest(e, "revoke", "creds/dev", {}, { secret }));
      assert.ok(
        !e.logger.lines.join("\n").includes(key) && !e.logger.lines.join("\n").includes(MASTER_KEY),
      );
    } finally {
      await e.mock.close();
    }
  },
});

Deno.test({
  name: "pathCreds caps a requested ttl at max_ttl with a warning",
  ...TEST_OPTIONS,
  async fn() {
    const e = await newEngine();
    try {
      const issued = await request(e, "read", "creds/dev", { ttl: "10h" });
      assert.equal(issued?.secret?.leaseOptions.ttlSeconds, 7200);
      assert.match(String(issued?.warnings), /exceeded the effective max_ttl/);
      e.system.maxTtl = 600;
      assert.equal((await request(e, "read", "creds/dev"))?.secret?.leaseOptions.ttlSeconds, 600);
    } finally {
      await e.mock.close();
    }
  },
});

Deno.test({
  name: "pathCreds leaves no key and no WAL behind when LiteLLM keeps failing",
  ...TEST_OPTIONS,
  async fn() {
    const e = await newEngine();
    try {
      e.mock.inject({ path: "/key/generate", status: 500 });
      await assert.rejects(request(e, "read", "creds/dev"), /answered 500: injected fault/);
      assert.equal(e.mock.requests.filter((r) => r.path === "/key/generate").length, 3);
      assert.equal(e.mock.keys.size, 0);
      // The WAL entry stays until the rollback has checked LiteLLM for the alias.
      assert.equal((await listWal(e.storage)).length, 1);
      e.mock.clearFaults();
      e.now.value = new Date(Date.now() + 11 * 60_000);
      await e.backend.handleRequest(makeRequest(e, "rollback", ""));
      assert.deepEqual(await listWal(e.storage), []);
    } finally {
      await e.mock.close();
    }
  },
});

Deno.test({
  name: "pathCreds replaces a key whose answer was lost and leases exactly one key",
  ...TEST_OPTIONS,
  async fn() {
    const e = await newEngine();
    try {
      e.mock.inject({ path: "/key/generate", status: 502, after: true, count: 1 });
      const issued = await request(e, "read", "creds/dev");
      assert.equal(e.mock.keys.size, 1, "the key whose answer was lost must be gone");
      const hash = String(issued?.secret?.internalData.token_hash);
      assert.ok(e.mock.keys.has(hash));
      assert.equal(await chat(e.mock.url, String(issued?.data?.key), "gpt-4o-mini"), 200);
      assert.deepEqual(await listWal(e.storage), []);
    } finally {
      await e.mock.close();
    }
  },
});

Deno.test({
  name: "renew fails clearly when the key was deleted at LiteLLM outside Vault",
  ...TEST_OPTIONS,
  async fn() {
    const e = await newEngine();
    try {
      const issued = await request(e, "read", "creds/dev");
      e.mock.keys.clear();
      await assert.rejects(
        e.backend.handleRequest(
          makeRequest(e, "renew", "creds/dev", {}, { secret: issued!.secret }),
        ),
        (err: Error) =>
          err instanceof UserInputError && /no longer exists at LiteLLM/.test(err.message),
      );
    } finally {
      await e.mock.close();
    }
  },
});

Deno.test({
  name: "the rollback keeps retrying while LiteLLM is down, and gives up once the key has expired",
  ...TEST_OPTIONS,
  async fn() {
    const e = await newEngine();
    try {
      await putWal(e.storage, "litellm_key", {
        key_alias: "vault-dev-lost",
        expires_at: new Date(Date.now() + 3600_000).toISOString(),
      }, { now: new Date() });
      await e.mock.down();
      e.now.value = new Date(Date.now() + 11 * 60_000);
      await e.backend.handleRequest(makeRequest(e, "rollback", ""));
      assert.equal((await listWal(e.storage)).length, 1, "dropped while the key may still work");
      e.now.value = new Date(Date.now() + 2 * 3600_000);
      await e.backend.handleRequest(makeRequest(e, "rollback", ""));
      assert.deepEqual(await listWal(e.storage), []);
      assert.match(e.logger.lines.join("\n"), /gave up rolling back a key that has expired/);
    } finally {
      await e.mock.close();
    }
  },
});

Deno.test({
  name: "the rollback deletes a key whose lease was never created",
  ...TEST_OPTIONS,
  async fn() {
    const e = await newEngine();
    try {
      // A key minted just before the plugin died: at LiteLLM, with a WAL entry and no lease.
      const orphan = await e.mock.mint({ key_alias: "vault-dev-orphan", models: ["gpt-4o-mini"] });
      await putWal(e.storage, "litellm_key", { key_alias: "vault-dev-orphan" }, {
        now: new Date(),
      });
      await e.backend.handleRequest(makeRequest(e, "rollback", ""));
      assert.equal(e.mock.keys.size, 1, "a young WAL entry must be left alone");
      e.now.value = new Date(Date.now() + 11 * 60_000);
      await e.backend.handleRequest(makeRequest(e, "rollback", ""));
      assert.equal(e.mock.keys.size, 0);
      assert.equal(await chat(e.mock.url, orphan.key, "gpt-4o-mini"), 401);
      assert.deepEqual(await listWal(e.storage), []);
    } finally {
      await e.mock.close();
    }
  },
});

Deno.test({
  name: "revoke keeps failing (so the host retries) while LiteLLM is down",
  ...TEST_OPTIONS,
  async fn() {
    const e = await newEngine();
    try {
      const issued = await request(e, "read", "creds/dev");
      await e.mock.down();
      await assert.rejects(
        e.backend.handleRequest(
          makeRequest(e, "revoke", "creds/dev", {}, { secret: issued!.secret }),
        ),
      );
      e.mock.up();
      await e.backend.handleRequest(
        makeRequest(e, "revoke", "creds/dev", {}, { secret: issued!.secret }),
      );
      assert.equal(e.mock.keys.size, 0);
    } finally {
      await e.mock.close();
    }
  },
});

Deno.test({
  name: "pathMetrics counts issued and revoked keys and LiteLLM latency, without secrets",
  ...TEST_OPTIONS,
  async fn() {
    const e = await newEngine();
    try {
      const issued = await request(e, "read", "creds/dev");
      await e.backend.handleRequest(
        makeRequest(e, "revoke", "creds/dev", {}, { secret: issued!.secret }),
      );
      const counters = (await request(e, "read", "metrics"))?.data?.counters as Record<
        string,
        number
      >;
      assert.equal(counters.keys_issued_total, 1);
      assert.equal(counters.keys_revoked_total, 1);
      const raw = (await request(e, "read", "metrics", { format: "prometheus" }))?.data;
      assert.equal(raw?.http_content_type, "text/plain; version=0.0.4");
      const text = atob(String(raw?.http_raw_body));
      assert.match(text, /^litellm_keys_issued_total 1$/m);
      assert.match(text, /litellm_request_duration_seconds_count\{endpoint="\/key\/generate"\} 1/);
      assert.ok(!text.includes("sk-"), "a key in the metrics");
    } finally {
      await e.mock.close();
    }
  },
});

Deno.test({
  name: "pathTidy deletes only this mount's keys that have no lease, sparing young ones",
  ...TEST_OPTIONS,
  async fn() {
    const e = await newEngine();
    try {
      const leased = await request(e, "read", "creds/dev");
      const plant = (alias: string, mount: string) =>
        e.mock.mint({
          key_alias: alias,
          models: ["m"],
          metadata: { vault_mount_path: mount },
        });
      await plant("vault-dev-orphan", "litellm/");
      await plant("vault-dev-other-mount", "other/");
      await plant("someone-else", "litellm/");
      e.now.value = new Date(Date.now() + 1000);
      const dry = await request(e, "update", "tidy", { dry_run: true, safety_margin: 0 });
      assert.deepEqual(dry?.data?.orphans, ["vault-dev-orphan"]);
      assert.equal(e.mock.keys.size, 4);
      const young = await request(e, "update", "tidy", {});
      assert.deepEqual(young?.data?.orphans, [], "the default safety margin spares a new key");
      const done = await request(e, "update", "tidy", { safety_margin: "0s" });
      assert.equal(done?.data?.deleted, 1);
      const aliases = [...e.mock.keys.values()].map((k) => k.key_alias).sort();
      assert.deepEqual(
        aliases,
        ["someone-else", String(leased?.data?.key_alias), "vault-dev-other-mount"].sort(),
      );
    } finally {
      await e.mock.close();
    }
  },
});
