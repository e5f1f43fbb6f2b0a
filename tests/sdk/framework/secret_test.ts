import assert from "node:assert/strict";
import {
  SECRET_TYPE_KEY,
  secretResponse,
  type SecretType,
} from "../../../src/sdk/framework/secret.ts";

const thing: SecretType = {
  type: "thing",
  renew: async () => undefined,
  revoke: async () => undefined,
};

Deno.test("secretResponse puts the secret type in the internal data and the lease options", () => {
  const response = secretResponse(thing, { user: "u" }, { id: "x" }, {
    ttlSeconds: 60,
    maxTtlSeconds: 120,
  });
  assert.deepEqual(response.data, { user: "u" });
  assert.deepEqual(response.secret?.internalData, { id: "x", [SECRET_TYPE_KEY]: "thing" });
  assert.equal(SECRET_TYPE_KEY, "secret_type");
  const { issueTime, ...lease } = response.secret!.leaseOptions;
  assert.deepEqual(lease, {
    ttlSeconds: 60,
    maxTtlSeconds: 120,
    renewable: true,
    incrementSeconds: 0,
  });
  assert.ok(issueTime instanceof Date);
  assert.equal(response.secret?.leaseId, "");
});

Deno.test("secretResponse can issue a lease that is not renewable", () => {
  const response = secretResponse(thing, {}, {}, {
    ttlSeconds: 1,
    maxTtlSeconds: 0,
    renewable: false,
  });
  assert.equal(response.secret?.leaseOptions.renewable, false);
});

Deno.test("secretResponse lets the secret type win over an internal secret_type", () => {
  const response = secretResponse(thing, {}, { secret_type: "other" }, {
    ttlSeconds: 1,
    maxTtlSeconds: 1,
  });
  assert.equal(response.secret?.internalData.secret_type, "thing");
});
