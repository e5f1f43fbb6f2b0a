import assert from "node:assert/strict";
import { UserInputError } from "../../src/sdk/mod.ts";
import { request } from "../_helpers.ts";
import { MASTER_KEY, newEngine, TEST_OPTIONS } from "./_setup.ts";

Deno.test({
  name: "pathConfig stores a verified config and never returns the master key",
  ...TEST_OPTIONS,
  async fn() {
    const e = await newEngine({ role: false });
    try {
      const read = await request(e, "read", "config");
      assert.deepEqual(read?.data, {
        base_url: e.mock.url,
        tls_ca_cert: "",
        tls_skip_verify: false,
        request_timeout: 30,
        master_key_set: true,
        rotation_period: 0,
        last_rotated: null,
      });
      assert.ok(!JSON.stringify(read).includes(MASTER_KEY));
      assert.equal(e.storage.entries.get("config")?.sealWrap, true);
      assert.ok(
        e.mock.requests.some((r) => r.path === "/key/list"),
        "the connection was not verified",
      );
      // A partial update keeps the master key.
      await request(e, "update", "config", { request_timeout: "10s" });
      assert.equal((await request(e, "read", "config"))?.data?.request_timeout, 10);
      await request(e, "delete", "config");
      assert.equal(await request(e, "read", "config"), undefined);
    } finally {
      await e.mock.close();
    }
  },
});

Deno.test({
  name: "pathConfig refuses a master key LiteLLM rejects, saving nothing",
  ...TEST_OPTIONS,
  async fn() {
    const e = await newEngine({ configure: false });
    try {
      await assert.rejects(
        request(e, "update", "config", { base_url: e.mock.url, master_key: "sk-wrong-key-123456" }),
        (err: UserInputError) => {
          assert.equal(err.field, "master_key");
          assert.match(err.message, /Cannot verify the connection to LiteLLM.*401/);
          assert.doesNotMatch(err.message, /sk-wrong-key-123456/);
          return true;
        },
      );
      assert.equal(e.storage.entries.size, 0);
      await request(e, "update", "config", {
        base_url: "http://127.0.0.1:1",
        master_key: "sk-x",
        verify_connection: false,
      });
      assert.equal((await request(e, "read", "config"))?.data?.base_url, "http://127.0.0.1:1");
    } finally {
      await e.mock.close();
    }
  },
});

Deno.test({
  name: "the engine asks the host to seal-wrap its config and static roles",
  ...TEST_OPTIONS,
  async fn() {
    const e = await newEngine({ configure: false });
    try {
      assert.deepEqual(e.backend.specialPaths().sealWrapStorage, ["config", "static-roles/"]);
    } finally {
      await e.mock.close();
    }
  },
});
