/**
 * No secret leaves the engine except a minted key in its own creds response: every response,
 * every error, every log line and every stored entry but the (seal-wrapped) config is scanned
 * for the master key, its hash, wrong credentials that LiteLLM echoes, and every key minted.
 */
import assert from "node:assert/strict";
import type { Response } from "../../src/sdk/mod.ts";
import { sha256Hex } from "../../src/litellm/redact.ts";
import { litellmBackend } from "../../src/litellm/backend.ts";
import { makeRequest, newTestBackend, request } from "../_helpers.ts";
import { startMockLiteLLM } from "../mock_litellm.ts";
import { MASTER_KEY, TEST_OPTIONS } from "./_setup.ts";

Deno.test({
  name: "the engine never echoes the master key, wrong credentials or minted keys",
  ...TEST_OPTIONS,
  async fn() {
    // legacyEcho: LiteLLM repeats a wrong non-sk credential verbatim, as old releases did.
    const mock = await startMockLiteLLM({ masterKey: MASTER_KEY, legacyEcho: true });
    const t = await newTestBackend((config) =>
      litellmBackend(config, { clientOptions: { backoffMs: 1, timeoutMs: 2000 } })
    );
    const secrets = new Set<string>([MASTER_KEY, await sha256Hex(MASTER_KEY)]);
    const texts: string[] = [];
    const minted: string[] = [];
    const wrong = ["sk-wrong-credential-0123", "plain-wrong-credential"];
    for (const w of wrong) secrets.add(w).add(await sha256Hex(w));

    /** Runs a request and keeps its answer or error text for the scan. */
    async function run(
      op: Parameters<typeof request>[1],
      path: string,
      data: Record<string, unknown> = {},
    ): Promise<Response | undefined> {
      try {
        const response = await request(t, op, path, data);
        const key = response?.data?.key;
        if (path.startsWith("creds/") && typeof key === "string") {
          minted.push(key);
          texts.push(JSON.stringify({ ...response, data: { ...response!.data, key: "<ok>" } }));
        } else texts.push(JSON.stringify(response ?? null));
        return response;
      } catch (error) {
        texts.push(`${(error as Error).message}\n${(error as Error).stack}`);
        return undefined;
      }
    }

    try {
      for (const w of wrong) {
        assert.equal(
          await run("update", "config", { base_url: mock.url, master_key: w }),
          undefined,
        );
      }
      await run("update", "config", { base_url: mock.url, master_key: MASTER_KEY });
      await run("read", "config");
      await run("update", "roles/dev", { models: "gpt-4o-mini", ttl: "1h", max_ttl: "2h" });
      await run("update", "roles/tagged", { models: "m", tags: "team-a" });
      await run("read", "roles/dev");
      const first = await run("read", "creds/dev");
      await run("read", "creds/dev");
      await run("read", "creds/tagged"); // LiteLLM refuses tags on the community edition
      mock.inject({ path: "/key/generate", status: 500 });
      await run("read", "creds/dev");
      mock.clearFaults();
      const secret = { ...first!.secret!, leaseOptions: { ...first!.secret!.leaseOptions } };
      for (const op of ["renew", "revoke", "revoke"] as const) {
        try {
          const answer = await t.backend.handleRequest(
            makeRequest(t, op, "creds/dev", {}, { secret }),
          );
          texts.push(JSON.stringify(answer ?? null));
        } catch (error) {
          texts.push((error as Error).message);
        }
      }
      // Rotate an admin virtual key; the new one is stored, never returned.
      const admin = await mock.mint({ key_alias: "vault-admin", user_id: "vault-admin" });
      secrets.add(admin.key);
      await run("update", "config", { master_key: admin.key });
      await run("update", "config/rotate-root");
      const stored = JSON.parse(new TextDecoder().decode(t.storage.entries.get("config")!.value));
      secrets.add(stored.master_key);
      await run("read", "config");
      await run("read", "metrics");
      await run("update", "tidy", { dry_run: true });
      await run("list", "roles/");

      assert.equal(minted.length, 2);
      for (const key of minted) secrets.add(key);
      const everything = [...texts, ...t.logger.lines];
      for (const [name, value] of t.storage.entries) {
        if (name !== "config") everything.push(`${name}: ${new TextDecoder().decode(value.value)}`);
      }
      assert.ok(texts.some((x) => /Authentication Error/.test(x)), "the 401s were not surfaced");
      assert.ok(texts.some((x) => /Enterprise/.test(x)), "the tags refusal was not surfaced");
      for (const text of everything) {
        for (const s of secrets) {
          assert.ok(!text.includes(s), `a secret (${s.slice(0, 6)}...) leaked in: ${text}`);
        }
      }
    } finally {
      await mock.close();
    }
  },
});
