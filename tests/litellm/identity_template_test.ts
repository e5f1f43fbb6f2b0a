import assert from "node:assert/strict";
import { renderTemplate, templateProblem } from "../../src/litellm/identity_template.ts";
import type { Entity } from "../../src/sdk/mod.ts";
import { request } from "../_helpers.ts";
import { newEngine, TEST_OPTIONS } from "./_setup.ts";

const ALICE: Entity = {
  id: "ent-1",
  name: "alice",
  aliases: [{
    mountType: "userpass",
    mountAccessor: "auth_userpass_1",
    name: "alice@corp",
    metadata: { dept: "ml" },
    id: "a1",
  }],
  metadata: { team: "research" },
  disabled: false,
  namespaceId: "root",
};
const GROUPS = [{ id: "g1", name: "admins", metadata: {}, namespaceId: "root" }];

Deno.test("templateProblem accepts Vault identity placeholders and refuses the rest", async (t) => {
  for (
    const ok of [
      "{{identity.entity.name}}",
      "team-{{identity.entity.metadata.team}}",
      "{{ identity.entity.aliases.auth_userpass_1.name }}",
      "{{identity.groups.names.admins.id}}",
      "plain",
    ]
  ) {
    await t.step(`accepts ${ok}`, () => assert.equal(templateProblem(ok), undefined));
  }
  for (
    const bad of [
      "{{identity.entity.password}}",
      "{{identity.entity.name}",
      "{{}}",
      "{{identity.entity.aliases.x}}",
    ]
  ) {
    await t.step(`refuses ${bad}`, () => assert.ok(templateProblem(bad)));
  }
});

Deno.test("renderTemplate fills from the entity and groups, and refuses what does not resolve", () => {
  assert.equal(
    renderTemplate("{{identity.entity.name}}-{{identity.entity.metadata.team}}", ALICE, GROUPS),
    "alice-research",
  );
  assert.equal(
    renderTemplate("{{identity.entity.aliases.auth_userpass_1.metadata.dept}}", ALICE, GROUPS),
    "ml",
  );
  assert.equal(renderTemplate("{{identity.groups.names.admins.id}}", ALICE, GROUPS), "g1");
  assert.throws(
    () => renderTemplate("{{identity.entity.metadata.missing}}", ALICE, GROUPS),
    /did not resolve/,
  );
});

Deno.test({
  name: "pathCreds stamps user_id and team_id from identity templates, strictly",
  ...TEST_OPTIONS,
  async fn() {
    const e = await newEngine();
    try {
      e.system.entities.set(ALICE.id, ALICE);
      await request(e, "update", "roles/dev", {
        user_id_template: "{{identity.entity.name}}",
        team_id_template: "{{identity.entity.metadata.team}}",
      });
      const issued = await request(e, "read", "creds/dev", {}, { entityId: ALICE.id });
      const row = e.mock.keys.get(String(issued?.secret?.internalData.token_hash))!;
      assert.equal(row.user_id, "alice");
      assert.equal(row.team_id, "research");
      await assert.rejects(request(e, "read", "creds/dev"), /has no entity/);
      await request(e, "update", "roles/dev", {
        team_id_template: "{{identity.entity.metadata.missing}}",
      });
      await assert.rejects(
        request(e, "read", "creds/dev", {}, { entityId: ALICE.id }),
        /did not resolve/,
      );
      assert.equal(e.mock.keys.size, 1, "a key was minted for an unresolved template");
      await assert.rejects(
        request(e, "update", "roles/dev", { user_id: "bob" }),
        /cannot be set together with user_id/,
      );
      await assert.rejects(
        request(e, "update", "roles/dev", { user_id_template: "{{nope}}" }),
        /not a supported identity placeholder/,
      );
    } finally {
      await e.mock.close();
    }
  },
});
