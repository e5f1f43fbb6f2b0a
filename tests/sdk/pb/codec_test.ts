import assert from "node:assert/strict";
import { decode, encode } from "../../../src/sdk/pb/codec.ts";

Deno.test("decode fills proto3 defaults: scalars, null messages, [] and {}", () => {
  const request = decode("pb.Request", encode("pb.Request", { path: "creds/dev" }));
  assert.equal(request.path, "creds/dev");
  assert.equal(request.id, "");
  assert.equal(request.client_token_remaining_uses, 0n);
  assert.equal(request.secret, null);
  assert.deepEqual(request.headers, {});
  assert.equal(request.policy_override, false);
  assert.deepEqual(decode("pb.StorageListReply", new Uint8Array()), { keys: [], err: "" });
});

Deno.test("int64 round-trips exactly as bigint beyond 2^53", () => {
  const ttl = 9_007_199_254_740_993n; // 2^53 + 1: a number would round it
  assert.equal(decode("pb.TTLReply", encode("pb.TTLReply", { TTL: ttl })).TTL, ttl);
  assert.equal(decode("pb.TTLReply", encode("pb.TTLReply", { TTL: "-42" })).TTL, -42n);
  assert.equal(decode("pb.TTLReply", encode("pb.TTLReply", { TTL: 7 })).TTL, 7n);
  const max = 2n ** 63n - 1n;
  assert.equal(decode("pb.TTLReply", encode("pb.TTLReply", { TTL: max })).TTL, max);
});

Deno.test("encode refuses a number beyond 2^53 for an int64, even nested", () => {
  assert.throws(
    () => encode("pb.TTLReply", { TTL: 2 ** 60 }),
    (e: unknown) => e instanceof RangeError && /pb\.TTLReply\.TTL/.test(e.message),
  );
  assert.throws(
    () => encode("pb.Secret", { lease_options: { MaxTTL: 1.5 } }),
    (e: unknown) => e instanceof RangeError && /pb\.LeaseOptions\.MaxTTL/.test(e.message),
  );
});

Deno.test("bytes decode as plain Uint8Array and maps, lists and nested messages round-trip", () => {
  const message = {
    storage_id: 0,
    request: {
      headers: { "x-team": { header: ["a", "b"] } },
      secret: {
        lease_options: { TTL: 1n, issue_time: { seconds: -62135596800n, nanos: 0 } },
        internal_data: "{}",
      },
      connection: { remote_addr: "10.0.0.1", peer_certificates_raw: [new Uint8Array([1, 2])] },
    },
  };
  const decoded = decode("pb.HandleRequestArgs", encode("pb.HandleRequestArgs", message));
  const raw = decoded.request!.connection!.peer_certificates_raw[0];
  assert.equal(Object.getPrototypeOf(raw), Uint8Array.prototype);
  assert.deepEqual([...raw], [1, 2]);
  assert.deepEqual(decoded.request!.headers, { "x-team": { header: ["a", "b"] } });
  assert.equal(decoded.request!.secret!.lease_options!.issue_time!.seconds, -62135596800n);
});

Deno.test("encode returns a plain Uint8Array", () => {
  const bytes = encode("pb.StorageGetArgs", { key: "k" });
  assert.equal(Object.getPrototypeOf(bytes), Uint8Array.prototype);
  assert.deepEqual([...bytes], [0x0a, 0x01, 0x6b]);
});

Deno.test("decode skips fields it does not know (a newer host's additions)", () => {
  // StoragePutReply {err: "x"} followed by field 15 (varint 7) and field 16 (bytes "ab").
  const bytes = new Uint8Array([0x0a, 0x01, 0x78, 0x78, 0x07, 0x82, 0x01, 0x02, 0x61, 0x62]);
  assert.deepEqual(decode("pb.StoragePutReply", bytes), { err: "x" });
});

Deno.test("decode rejects truncated input", () => {
  assert.throws(() => decode("pb.StorageGetArgs", new Uint8Array([0x0a, 0x05, 0x6b])));
});

Deno.test("the descriptor has the process-level messages the transport services use", () => {
  const info = decode(
    "plugin.ConnInfo",
    encode("plugin.ConnInfo", { service_id: 7, network: "unix", address: "/tmp/p" }),
  );
  assert.deepEqual(info, { service_id: 7, network: "unix", address: "/tmp/p", knock: null });
  assert.deepEqual(
    decode(
      "plugin.StdioData",
      encode("plugin.StdioData", { channel: 2, data: new Uint8Array([104, 105]) }),
    ),
    { channel: 2, data: new Uint8Array([104, 105]) },
  );
  const health = encode("grpc.health.v1.HealthCheckResponse", { status: 1 });
  assert.equal(decode("grpc.health.v1.HealthCheckResponse", health).status, 1);
  assert.deepEqual(decode("google.protobuf.Empty", encode("google.protobuf.Empty", {})), {});
  assert.deepEqual(decode("plugin.Empty", new Uint8Array()), {});
  assert.deepEqual(decode("logical.Empty", new Uint8Array()), {});
});
