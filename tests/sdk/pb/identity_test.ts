import assert from "node:assert/strict";
import { decode, encode } from "../../../src/sdk/pb/codec.ts";
import { entityFromPb, groupFromPb, pluginEnvFromPb } from "../../../src/sdk/pb/identity.ts";

Deno.test("entityFromPb maps a wire entity with its aliases", () => {
  const wire = encode("logical.Entity", {
    ID: "e1",
    name: "alice",
    aliases: [{
      mount_type: "userpass",
      mount_accessor: "auth_userpass_1",
      name: "alice",
      metadata: { team: "a" },
      ID: "al1",
      namespace_id: "root",
      local: true,
    }],
    metadata: { org: "x" },
    disabled: true,
    namespace_id: "root",
  });
  assert.deepEqual(entityFromPb(decode("logical.Entity", wire)), {
    id: "e1",
    name: "alice",
    aliases: [{
      mountType: "userpass",
      mountAccessor: "auth_userpass_1",
      name: "alice",
      metadata: { team: "a" },
      id: "al1",
    }],
    metadata: { org: "x" },
    disabled: true,
    namespaceId: "root",
  });
});

Deno.test("groupFromPb maps a wire group", () => {
  const wire = encode("logical.Group", { ID: "g1", name: "devs", metadata: { k: "v" } });
  assert.deepEqual(groupFromPb(decode("logical.Group", wire)), {
    id: "g1",
    name: "devs",
    metadata: { k: "v" },
    namespaceId: "",
  });
});

Deno.test("pluginEnvFromPb maps the version and treats an absent one as empty", () => {
  assert.deepEqual(
    pluginEnvFromPb({
      vault_version: "1.21.0",
      vault_version_prerelease: "rc1",
      vault_version_metadata: "ent",
    }),
    { vaultVersion: "1.21.0", vaultVersionPrerelease: "rc1", vaultVersionMetadata: "ent" },
  );
  assert.deepEqual(pluginEnvFromPb(null), {
    vaultVersion: "",
    vaultVersionPrerelease: "",
    vaultVersionMetadata: "",
  });
});
