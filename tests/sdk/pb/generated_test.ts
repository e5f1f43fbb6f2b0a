import assert from "node:assert/strict";
import { GENERATED_PATH, generateDescriptorModule } from "../../../scripts/gen_proto.ts";
import { DESCRIPTOR } from "../../../src/sdk/pb/_generated.ts";

Deno.test("_generated.ts matches proto/ (run `deno task gen` when this fails)", async () => {
  const committed = await Deno.readTextFile(GENERATED_PATH);
  const fresh = await generateDescriptorModule();
  assert.ok(committed === fresh, `${GENERATED_PATH} is stale: run "deno task gen"`);
});

Deno.test("generateDescriptorModule is deterministic", async () => {
  assert.equal(await generateDescriptorModule(), await generateDescriptorModule());
});

type Json = { nested?: Record<string, Json>; fields?: Record<string, { id: number }> };

function fieldsOf(fullName: string): Record<string, number> {
  let node = DESCRIPTOR as unknown as Json;
  for (const part of fullName.split(".")) node = node.nested![part];
  return Object.fromEntries(Object.entries(node.fields ?? {}).map(([k, v]) => [k, v.id]));
}

// Field names and numbers of the originals (Vault and OpenBao sdk/plugin/pb/backend.proto,
// sdk/logical/*.proto, go-plugin internal/plugin/*.proto) for the messages we read or write: a
// wrong number here is a silent wire bug, so they are pinned.
const ORIGINALS: Record<string, Record<string, number>> = {
  "pb.Request": {
    id: 1,
    ReplicationCluster: 2,
    operation: 3,
    path: 4,
    data: 5,
    secret: 6,
    auth: 7,
    headers: 8,
    client_token: 9,
    client_token_accessor: 10,
    display_name: 11,
    mount_point: 12,
    mount_type: 13,
    mount_accessor: 14,
    wrap_info: 15,
    client_token_remaining_uses: 16,
    entity_id: 17,
    policy_override: 18,
    unauthenticated: 19,
    connection: 20,
    requires_snapshot_id: 21,
  },
  "pb.Response": {
    secret: 1,
    auth: 2,
    data: 3,
    redirect: 4,
    warnings: 5,
    wrap_info: 6,
    headers: 7,
    mount_type: 8,
  },
  "pb.Paths": {
    root: 1,
    unauthenticated: 2,
    local_storage: 3,
    seal_wrap_storage: 4,
    write_forwarded_storage: 5,
    binary: 6,
    limited: 7,
    allow_snapshot_read: 8,
  },
  "pb.LeaseOptions": { TTL: 1, renewable: 2, increment: 3, issue_time: 4, MaxTTL: 5 },
  "pb.Secret": { lease_options: 1, internal_data: 2, lease_id: 3 },
  "pb.ProtoError": { err_type: 1, err_msg: 2, err_code: 3 },
  "pb.HandleRequestArgs": { storage_id: 1, request: 2 },
  "pb.HandleRequestReply": { response: 1, err: 2 },
  "pb.HandleExistenceCheckReply": { check_found: 1, exists: 2, err: 3 },
  "pb.SetupArgs": { broker_id: 1, Config: 2, backendUUID: 3 },
  "pb.StorageEntry": { key: 1, value: 2, seal_wrap: 3 },
  "pb.StorageListArgs": { prefix: 1, txn: 2 },
  "pb.StorageListPageArgs": { prefix: 1, after: 2, limit: 3, txn: 4 },
  "pb.StorageGetReply": { entry: 1, err: 2 },
  "pb.TTLReply": { TTL: 1 },
  "pb.EntityInfoArgs": { entity_id: 1 },
  "pb.Connection": {
    remote_addr: 1,
    connection_state: 2,
    remote_port: 3,
    proxied_certificates_raw: 4,
    peer_certificates_raw: 5,
  },
  "logical.Entity": { ID: 1, name: 2, aliases: 3, metadata: 4, disabled: 5, namespace_id: 6 },
  "logical.Alias": {
    mount_type: 1,
    mount_accessor: 2,
    name: 3,
    metadata: 4,
    ID: 5,
    namespace_id: 6,
    custom_metadata: 7,
    local: 8,
  },
  "logical.VersionReply": { plugin_version: 1 },
  "pluginutil.multiplexing.MultiplexingSupportResponse": { supported: 1 },
  "plugin.ConnInfo": { service_id: 1, network: 2, address: 3, knock: 4 },
  "plugin.ConnInfo.Knock": { knock: 1, ack: 2, error: 3 },
  "plugin.StdioData": { channel: 1, data: 2 },
  "grpc.health.v1.HealthCheckResponse": { status: 1 },
};

Deno.test("DESCRIPTOR keeps the originals' field names and numbers", async (t) => {
  for (const [name, fields] of Object.entries(ORIGINALS)) {
    await t.step(name, () => assert.deepEqual(fieldsOf(name), fields));
  }
});
