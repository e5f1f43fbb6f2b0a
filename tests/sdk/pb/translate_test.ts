import assert from "node:assert/strict";
import {
  dateToTimestamp,
  GO_ZERO_TIME,
  nanosToSeconds,
  parseJsonObject,
  requestFromPb,
  responseToPb,
  secondsToNanos,
  secretFromPb,
  timestampToDate,
} from "../../../src/sdk/pb/translate.ts";
import { errorToProtoError, requestErrorToPb } from "../../../src/sdk/pb/errors.ts";
import { decode, encode } from "../../../src/sdk/pb/codec.ts";
import {
  CodedError,
  PermissionDeniedError,
  StorageError,
  UnsupportedOperationError,
  UnsupportedPathError,
  UserInputError,
} from "../../../src/sdk/errors.ts";
import { MemoryStorage } from "../../../src/sdk/testing/memory_storage.ts";
import type { PbRequest } from "../../../src/sdk/pb/messages.ts";

Deno.test("nanosToSeconds and secondsToNanos convert exactly beyond 2^53 nanoseconds", () => {
  const year = 365 * 24 * 3600;
  assert.equal(secondsToNanos(year), "31536000000000000");
  assert.equal(nanosToSeconds("31536000000000000"), year);
  assert.equal(nanosToSeconds("1999999999"), 1);
  assert.equal(nanosToSeconds(""), 0);
});

Deno.test("timestamps round-trip and Go's zero time is understood", () => {
  const date = new Date("2026-11-23T12:34:56.789Z");
  assert.deepEqual(dateToTimestamp(date), { seconds: "1795437296", nanos: 789000000 });
  assert.equal(timestampToDate(dateToTimestamp(date)).getTime(), date.getTime());
  assert.equal(timestampToDate(null).toISOString(), "0001-01-01T00:00:00.000Z");
  assert.equal(timestampToDate(GO_ZERO_TIME).getUTCFullYear(), 1);
});

Deno.test("parseJsonObject maps null to {} and keeps integers beyond 2^53 exact", () => {
  assert.deepEqual(parseJsonObject("null"), {});
  assert.deepEqual(parseJsonObject(""), {});
  assert.deepEqual(parseJsonObject('{"a":9007199254740993,"b":1.5,"c":"x"}'), {
    a: "9007199254740993",
    b: 1.5,
    c: "x",
  });
});

Deno.test("requestFromPb survives a wire round trip with a renew secret", () => {
  const wire = encode("pb.Request", {
    ID: "req-1",
    operation: "renew",
    path: "creds/dev",
    data: "null",
    mount_point: "litellm/",
    entity_ID: "ent-1",
    secret: {
      lease_options: {
        TTL: "3600000000000",
        MaxTTL: "86400000000000",
        renewable: true,
        increment: "7200000000000",
        issue_time: { seconds: "1795437296", nanos: 0 },
      },
      internal_data: '{"secret_type":"litellm_key","token_hash":"abc"}',
      lease_ID: "litellm/creds/dev/xyz",
    },
  });
  const request = requestFromPb(decode<PbRequest>("pb.Request", wire), new MemoryStorage());
  assert.equal(request.operation, "renew");
  assert.deepEqual(request.data, {});
  assert.equal(request.entityId, "ent-1");
  assert.deepEqual(request.secret?.leaseOptions, {
    ttlSeconds: 3600,
    maxTtlSeconds: 86400,
    renewable: true,
    incrementSeconds: 7200,
    issueTime: new Date(1795437296000),
  });
  assert.equal(request.secret?.internalData.token_hash, "abc");
});

Deno.test("responseToPb always sends valid JSON data and an issue_time with a secret", () => {
  assert.equal(responseToPb({}).data, "null");
  const pb = responseToPb({
    data: { key: "v" },
    warnings: ["w"],
    secret: {
      leaseOptions: {
        ttlSeconds: 60,
        maxTtlSeconds: 0,
        renewable: true,
        incrementSeconds: 0,
        issueTime: new Date(Number.NaN),
      },
      internalData: { a: 1 },
      leaseId: "",
    },
  });
  assert.equal(pb.data, '{"key":"v"}');
  assert.equal(pb.secret?.lease_options?.TTL, "60000000000");
  assert.deepEqual(pb.secret?.lease_options?.issue_time, GO_ZERO_TIME);
  const decoded = decode<{ secret: { lease_options: { TTL: string } } }>(
    "pb.Response",
    encode("pb.Response", pb as unknown as Record<string, unknown>),
  );
  assert.equal(decoded.secret.lease_options.TTL, "60000000000");
  assert.deepEqual(secretFromPb(decoded.secret as never).internalData, { a: 1 });
});

Deno.test("errors map to the wire as Vault's ErrToProtoErr expects", async (t) => {
  const cases: Array<[string, unknown, number, number]> = [
    ["user input -> UserError", new UserInputError("bad"), 1, 0],
    ["coded -> CodedError with status", new CodedError(409, "conflict"), 3, 409],
    ["unsupported operation", new UnsupportedOperationError(), 5, 0],
    ["unsupported path", new UnsupportedPathError(), 6, 0],
    ["permission denied", new PermissionDeniedError(), 8, 0],
    ["storage error keeps its text", new StorageError("cannot write to readonly storage"), 0, 0],
    ["anything else is unknown", new Error("boom"), 0, 0],
  ];
  for (const [name, error, type, code] of cases) {
    await t.step(name, () => {
      const pb = errorToProtoError(error);
      assert.equal(pb.err_type, type);
      assert.equal(Number(pb.err_code), code);
    });
  }
  assert.equal(
    errorToProtoError(new StorageError("cannot write to readonly storage")).err_msg,
    "cannot write to readonly storage",
  );
});

Deno.test("requestErrorToPb turns user input errors into the 400 error response", () => {
  const reply = requestErrorToPb(new UserInputError('Invalid field "ttl": nope'));
  assert.equal(reply.err, undefined);
  assert.equal(reply.response?.data, '{"error":"Invalid field \\"ttl\\": nope"}');
});
