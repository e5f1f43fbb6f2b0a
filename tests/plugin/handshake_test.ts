import assert from "node:assert/strict";
import {
  handshakeLine,
  MAGIC_COOKIE_VALUE,
  rawBase64,
  readHostEnvironment,
} from "../../src/plugin/handshake.ts";

const CERT = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

Deno.test("readHostEnvironment tells a person, a database probe and a real host apart", async (t) => {
  await t.step(
    "no cookie: not a host",
    () => assert.deepEqual(readHostEnvironment({}), { kind: "not-a-host" }),
  );
  await t.step(
    "database cookie: a probe",
    () =>
      assert.deepEqual(
        readHostEnvironment({ VAULT_DATABASE_PLUGIN: "926a0820-aea2-be28-51d6-83cdf00e8edb" }),
        {
          kind: "database-probe",
        },
      ),
  );
  await t.step("cookie without a client cert: invalid", () => {
    const result = readHostEnvironment({ VAULT_BACKEND_PLUGIN: MAGIC_COOKIE_VALUE });
    assert.equal("kind" in result && result.kind, "invalid");
  });
  await t.step("a v5 host", () => {
    const result = readHostEnvironment({
      VAULT_BACKEND_PLUGIN: MAGIC_COOKIE_VALUE,
      PLUGIN_PROTOCOL_VERSIONS: "4, 5",
      PLUGIN_CLIENT_CERT: CERT,
      PLUGIN_UNIX_SOCKET_DIR: "/run/x",
    });
    assert.ok(!("kind" in result));
    assert.deepEqual(result.protocolVersions, [4, 5]);
    assert.equal(result.multiplexGrpcRequested, false);
    assert.equal(result.socketDir, "/run/x");
  });
});

Deno.test("handshakeLine has go-plugin's format with unpadded standard base64", () => {
  const der = Uint8Array.from({ length: 100 }, (_, i) => (i * 37) & 0xff);
  const line = handshakeLine({ network: "unix", address: "/tmp/p/plugin.sock" }, der, {
    multiplexGrpcRequested: false,
  });
  const fields = line.trimEnd().split("|");
  assert.deepEqual(fields.slice(0, 5), ["1", "5", "unix", "/tmp/p/plugin.sock", "grpc"]);
  assert.ok(line.endsWith("\n") && !fields[5].includes("="));
  assert.equal(fields[5], rawBase64(der));
  assert.ok(fields[5].length > 50);
  const decoded = Uint8Array.from(
    atob(fields[5] + "==".slice(0, (4 - fields[5].length % 4) % 4)),
    (c) => c.charCodeAt(0),
  );
  assert.deepEqual(decoded, der);
  const muxed = handshakeLine({ network: "unix", address: "/s" }, der, {
    multiplexGrpcRequested: true,
  });
  assert.ok(muxed.trimEnd().endsWith("|false"));
});
