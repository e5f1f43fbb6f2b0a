import assert from "node:assert/strict";
import { request } from "../_helpers.ts";
import { newEngine, TEST_OPTIONS } from "./_setup.ts";

Deno.test({
  name: "pathRoles creates, updates only given fields, lists and deletes roles",
  ...TEST_OPTIONS,
  async fn() {
    const e = await newEngine({ role: false });
    try {
      await request(e, "update", "roles/dev", {
        models: "gpt-4o-mini, claude",
        max_budget: "2.5",
        ttl: "30m",
        max_ttl: "2h",
        metadata: ["team=ml", "env=dev"],
        tpm_limit: 1000,
        budget_duration: "30d",
        tags: "a,b",
      });
      await request(e, "update", "roles/dev", { max_budget: 3 });
      const role = (await request(e, "read", "roles/dev"))?.data;
      assert.deepEqual(role, {
        models: ["gpt-4o-mini", "claude"],
        max_budget: 3,
        key_alias_prefix: "vault",
        metadata: { team: "ml", env: "dev" },
        ttl: 1800,
        max_ttl: 7200,
        budget_duration: "30d",
        tpm_limit: 1000,
        rpm_limit: null,
        max_parallel_requests: null,
        team_id: null,
        user_id: null,
        tags: ["a", "b"],
        user_id_template: "",
        team_id_template: "",
      });
      await request(e, "update", "roles/ops", { models: "m" });
      assert.deepEqual((await request(e, "list", "roles/"))?.data, { keys: ["dev", "ops"] });
      await request(e, "update", "roles/qa", { models: "m" });
      assert.deepEqual((await request(e, "list", "roles/", { after: "dev", limit: "1" }))?.data, {
        keys: ["ops"],
      });
      await request(e, "delete", "roles/qa");
      await request(e, "delete", "roles/ops");
      assert.equal(await request(e, "read", "roles/ops"), undefined);
    } finally {
      await e.mock.close();
    }
  },
});
