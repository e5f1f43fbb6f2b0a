import assert from "node:assert/strict";
import { decode, encode } from "../../../src/sdk/pb/codec.ts";
import {
  requestFromPb,
  responseToPb,
  secretFromPb,
  secretToPb,
} from "../../../src/sdk/pb/translate.ts";
import type { Secret } from "../../../src/sdk/logical.ts";
import { MemoryStorage } from "../../../src/sdk/testing/memory_storage.ts";

const DAY = 86_400;

Deno.test("requestFromPb reads a renew request off the wire", () => {
  const wire = encode("pb.Request", {
    id: "req-1",
    operation: "renew",
    path: "creds/dev",
    data: "null",
    mount_point: "litellm/",
    mount_type: "litellm",
    mount_accessor: "litellm_123",
    client_token: "hmac-sha256:abc",
    client_token_accessor: "acc",
    display_name: "token-alice",
    entity_id: "ent-1",
    headers: { "X-Team": { header: ["a", "b"] } },
    connection: { remote_addr: "10.0.0.7" },
    secret: {
      lease_options: {
        TTL: 3_600_000_000_000n,
        MaxTTL: 200n * 86_400n * 1_000_000_000n, // beyond 2^53 ns
        renewable: true,
        increment: 7_200_000_000_000n,
        issue_time: { seconds: 1_795_437_296n, nanos: 0 },
      },
      internal_data: '{"secret_type":"litellm_key","token_hash":"abc"}',
      lease_id: "litellm/creds/dev/xyz",
    },
  });
  const storage = new MemoryStorage();
  const request = requestFromPb(decode("pb.Request", wire), storage);
  assert.deepEqual({ ...request, storage: undefined }, {
    id: "req-1",
    operation: "renew",
    path: "creds/dev",
    data: {},
    secret: {
      leaseOptions: {
        ttlSeconds: 3600,
        maxTtlSeconds: 200 * DAY,
        renewable: true,
        incrementSeconds: 7200,
        issueTime: new Date("2026-11-23T12:34:56Z"),
      },
      internalData: { secret_type: "litellm_key", token_hash: "abc" },
      leaseId: "litellm/creds/dev/xyz",
    },
    mountPoint: "litellm/",
    mountType: "litellm",
    mountAccessor: "litellm_123",
    clientToken: "hmac-sha256:abc",
    clientTokenAccessor: "acc",
    displayName: "token-alice",
    entityId: "ent-1",
    headers: { "x-team": ["a", "b"] },
    remoteAddr: "10.0.0.7",
    storage: undefined,
  });
  assert.equal(request.storage, storage);
});

Deno.test("requestFromPb keeps big integers in data exact and has no secret when none is sent", () => {
  const pb = decode(
    "pb.Request",
    encode("pb.Request", { operation: "update", data: '{"ttl":"1h","n":18446744073709551615}' }),
  );
  const request = requestFromPb(pb, new MemoryStorage());
  assert.deepEqual(request.data, { ttl: "1h", n: "18446744073709551615" });
  assert.equal(request.secret, undefined);
  assert.equal(request.remoteAddr, "");
});

Deno.test("requestFromPb throws on data that is not JSON", () => {
  const pb = decode("pb.Request", encode("pb.Request", { data: "{" }));
  assert.throws(() => requestFromPb(pb, new MemoryStorage()), SyntaxError);
});

const secret: Secret = {
  leaseOptions: {
    ttlSeconds: 200 * DAY,
    maxTtlSeconds: 400 * DAY,
    renewable: true,
    incrementSeconds: 0,
    issueTime: new Date("2026-11-23T00:00:00.500Z"),
  },
  internalData: { secret_type: "litellm_key", key_alias: "a" },
  leaseId: "",
};

Deno.test("secretToPb writes nanoseconds exactly and issue_time always", () => {
  const pb = decode("pb.Secret", encode("pb.Secret", secretToPb(secret)));
  assert.equal(pb.lease_options!.TTL, 17_280_000_000_000_000n);
  assert.equal(pb.lease_options!.MaxTTL, 34_560_000_000_000_000n);
  assert.equal(pb.lease_options!.renewable, true);
  assert.deepEqual(pb.lease_options!.issue_time, { seconds: 1_795_392_000n, nanos: 500_000_000 });
  assert.deepEqual(JSON.parse(pb.internal_data), secret.internalData);
  assert.deepEqual(secretFromPb(pb), secret);

  const noTime = secretToPb({
    ...secret,
    leaseOptions: { ...secret.leaseOptions, issueTime: new Date(Number.NaN) },
  });
  assert.deepEqual(noTime.lease_options!.issue_time, { seconds: -62_135_596_800n, nanos: 0 });
});

Deno.test("responseToPb writes data as JSON, never empty, with secret, warnings and headers", () => {
  assert.equal(responseToPb({}).data, "null");
  const pb = decode(
    "pb.Response",
    encode(
      "pb.Response",
      responseToPb({
        data: { key: "sk-1", count: 2n ** 60n },
        secret,
        warnings: ["TTL capped"],
        headers: { "X-Ratelimit": ["5"] },
      }),
    ),
  );
  assert.equal(pb.data, '{"key":"sk-1","count":1152921504606846976}');
  assert.deepEqual(pb.warnings, ["TTL capped"]);
  assert.deepEqual(pb.headers, { "X-Ratelimit": { header: ["5"] } });
  assert.equal(pb.secret!.lease_options!.TTL, 17_280_000_000_000_000n);
  assert.equal(pb.auth, null);
  assert.equal(pb.wrap_info, null);
});
