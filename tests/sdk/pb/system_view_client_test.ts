import assert from "node:assert/strict";
import { encode } from "../../../src/sdk/pb/codec.ts";
import { SystemViewClient } from "../../../src/sdk/pb/system_view_client.ts";
import { FakeSystemView, MemoryStorage } from "../../../src/sdk/testing/memory_storage.ts";
import type { UnaryInvoker } from "../../../src/plugin/transport/types.ts";
import { fakeHost } from "./_fake_host.ts";

function clientFor(system: FakeSystemView): SystemViewClient {
  return new SystemViewClient(fakeHost({ storage: new MemoryStorage(), system }).invoke);
}

Deno.test("SystemViewClient converts the TTLs from nanoseconds exactly, beyond 2^53 ns", async () => {
  const system = new FakeSystemView();
  system.defaultTtl = 768 * 3600;
  system.maxTtl = 200 * 86400; // 1.728e16 ns > 2^53
  const client = clientFor(system);
  assert.equal(await client.defaultLeaseTtlSeconds(), 768 * 3600);
  assert.equal(await client.maxLeaseTtlSeconds(), 200 * 86400);
});

Deno.test("SystemViewClient reads the mount facts", async () => {
  const client = clientFor(new FakeSystemView());
  assert.equal(await client.tainted(), false);
  assert.equal(await client.replicationState(), 0);
  assert.equal(await client.localMount(), false);
  assert.deepEqual(await client.pluginEnv(), {
    vaultVersion: "2.7.2",
    vaultVersionPrerelease: "",
    vaultVersionMetadata: "",
  });
});

Deno.test("SystemViewClient entityInfo returns the entity, or undefined when missing", async () => {
  const system = new FakeSystemView();
  const alice = {
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
    disabled: false,
    namespaceId: "root",
  };
  system.entities.set("e1", alice);
  system.groups.set("e1", [{ id: "g1", name: "devs", metadata: {}, namespaceId: "root" }]);
  const client = clientFor(system);
  assert.deepEqual(await client.entityInfo("e1"), alice);
  assert.equal(await client.entityInfo("nobody"), undefined);
  assert.deepEqual(await client.groupsForEntity("e1"), [
    { id: "g1", name: "devs", metadata: {}, namespaceId: "root" },
  ]);
  assert.deepEqual(await client.groupsForEntity("nobody"), []);
});

Deno.test("SystemViewClient throws the host's err text", async () => {
  const invoke: UnaryInvoker = async (method) =>
    method.endsWith("EntityInfo")
      ? encode("pb.EntityInfoReply", { err: "identity store unavailable" })
      : encode("pb.PluginEnvReply", { err: "no environment" });
  const client = new SystemViewClient(invoke);
  await assert.rejects(client.entityInfo("e1"), { message: "identity store unavailable" });
  await assert.rejects(client.pluginEnv(), { message: "no environment" });
});
