import assert from "node:assert/strict";
import {
  handshakeLine,
  type HostEnvironment,
  MAGIC_COOKIE_VALUE,
  rawBase64,
  readHostEnvironment,
} from "../../src/plugin/handshake.ts";
import { generatePluginCertificate } from "../../src/plugin/certificate.ts";

const HOST_CERT = (await generatePluginCertificate()).certPem;
const HOST = { VAULT_BACKEND_PLUGIN: MAGIC_COOKIE_VALUE, PLUGIN_CLIENT_CERT: HOST_CERT };

Deno.test("readHostEnvironment refuses environments we must not serve", async (t) => {
  const cases: [string, Record<string, string>, RegExp | string][] = [
    ["no cookie: run by a person", {}, "not-a-host"],
    ["a wrong cookie value", { VAULT_BACKEND_PLUGIN: "nope" }, "not-a-host"],
    [
      "the database cookie: a host probing for a database plugin",
      { VAULT_DATABASE_PLUGIN: "926a0820-aea2-be28-51d6-83cdf00e8edb" },
      "database-probe",
    ],
    [
      "the cookie without a client certificate",
      { VAULT_BACKEND_PLUGIN: MAGIC_COOKIE_VALUE },
      /^PLUGIN_CLIENT_CERT is not set/,
    ],
    [
      "a client certificate that is not one",
      {
        ...HOST,
        PLUGIN_CLIENT_CERT: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
      },
      /^PLUGIN_CLIENT_CERT is not a PEM certificate/,
    ],
    [
      "a port that is not a number",
      { ...HOST, PLUGIN_MIN_PORT: "10k", PLUGIN_MAX_PORT: "25000" },
      /^PLUGIN_MIN_PORT must be a port number from 0 to 65535: it is "10k"/,
    ],
    [
      "a port out of range",
      { ...HOST, PLUGIN_MIN_PORT: "1", PLUGIN_MAX_PORT: "70000" },
      /^PLUGIN_MAX_PORT must be a port number/,
    ],
    [
      "a range upside down",
      { ...HOST, PLUGIN_MIN_PORT: "25000", PLUGIN_MAX_PORT: "10000" },
      "PLUGIN_MIN_PORT must not exceed PLUGIN_MAX_PORT: min is 25000, max is 10000",
    ],
  ];
  for (const [name, env, expected] of cases) {
    await t.step(name, () => {
      const result = readHostEnvironment(env);
      assert.ok("kind" in result, `served ${JSON.stringify(result)}`);
      if (typeof expected === "string" && !expected.includes(" ")) {
        assert.equal(result.kind, expected);
      } else {
        assert.equal(result.kind, "invalid");
        const message = (result as { message: string }).message;
        if (typeof expected === "string") assert.equal(message, expected);
        else assert.match(message, expected);
      }
    });
  }
});

Deno.test("readHostEnvironment reads what a v5 host sends", async (t) => {
  const cases: [string, Record<string, string>, Partial<HostEnvironment>][] = [
    ["Vault's usual environment", {
      ...HOST,
      PLUGIN_PROTOCOL_VERSIONS: "5",
      PLUGIN_MIN_PORT: "10000",
      PLUGIN_MAX_PORT: "25000",
    }, {
      protocolVersions: [5],
      multiplexGrpcRequested: false,
      socketDir: undefined,
      socketGroup: undefined,
      portRange: { min: 10000, max: 25000 },
    }],
    ["several versions with spaces and junk", {
      ...HOST,
      PLUGIN_PROTOCOL_VERSIONS: "4, 5,x,",
    }, { protocolVersions: [4, 5], portRange: { min: 0, max: 0 } }],
    ["the container plugin extras", {
      ...HOST,
      PLUGIN_MULTIPLEX_GRPC: "true",
      PLUGIN_UNIX_SOCKET_DIR: "/run/plugins",
      PLUGIN_UNIX_SOCKET_GROUP: "1000",
    }, { multiplexGrpcRequested: true, socketDir: "/run/plugins", socketGroup: "1000" }],
    ["multiplexing set to false still counts as asked", {
      ...HOST,
      PLUGIN_MULTIPLEX_GRPC: "false",
    }, { multiplexGrpcRequested: true }],
    ["empty optional values are absent", {
      ...HOST,
      PLUGIN_MULTIPLEX_GRPC: "",
      PLUGIN_UNIX_SOCKET_DIR: "",
    }, { multiplexGrpcRequested: false, socketDir: undefined }],
  ];
  for (const [name, env, expected] of cases) {
    await t.step(name, () => {
      const result = readHostEnvironment(env);
      assert.ok(!("kind" in result), JSON.stringify(result));
      assert.equal(result.hostCertPem, HOST_CERT);
      for (const [key, value] of Object.entries(expected)) {
        assert.deepEqual(result[key as keyof HostEnvironment], value, key);
      }
    });
  }
});

function decodeRawBase64(text: string): Uint8Array {
  const padded = text + "=".repeat((4 - text.length % 4) % 4);
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

Deno.test("rawBase64 is standard base64 without padding", async (t) => {
  const cases: [number[], string][] = [
    [[], ""],
    [[0xfb], "+w"],
    [[0xfb, 0xff], "+/8"],
    [[0xfb, 0xff, 0xbf], "+/+/"],
  ];
  for (const [bytes, expected] of cases) {
    await t.step(`${bytes.length} bytes`, () => {
      assert.equal(rawBase64(Uint8Array.from(bytes)), expected);
      assert.deepEqual(decodeRawBase64(expected), Uint8Array.from(bytes));
    });
  }
});

Deno.test("handshakeLine has go-plugin's exact format", async (t) => {
  const der = (await generatePluginCertificate()).certDer;
  const cert = rawBase64(der);
  await t.step("unix socket", () => {
    const line = handshakeLine({ network: "unix", address: "/tmp/plugin-x/plugin.sock" }, der, {
      multiplexGrpcRequested: false,
    });
    assert.equal(line, `1|5|unix|/tmp/plugin-x/plugin.sock|grpc|${cert}\n`);
    assert.ok(!cert.includes("=") && cert.length > 50);
    assert.deepEqual(decodeRawBase64(line.trimEnd().split("|")[5]), der);
  });
  await t.step("tcp", () => {
    const line = handshakeLine({ network: "tcp", address: "127.0.0.1:10001" }, der, {
      multiplexGrpcRequested: false,
    });
    assert.equal(line, `1|5|tcp|127.0.0.1:10001|grpc|${cert}\n`);
  });
  await t.step("a seventh field only when the host asked about multiplexing", () => {
    const line = handshakeLine({ network: "unix", address: "/s" }, der, {
      multiplexGrpcRequested: true,
    });
    assert.equal(line, `1|5|unix|/s|grpc|${cert}|false\n`);
  });
});
