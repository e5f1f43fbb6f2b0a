/**
 * The plugin process as an engine sees it: this test plays the host. It starts the echo plugin
 * with a host certificate, reads the handshake line, talks gRPC to it, serves pb.Storage on a
 * brokered listener, and shuts it down.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { GrpcClient, GrpcServer } from "../../src/plugin/transport/mod.ts";
import { decode, encode } from "../../src/sdk/pb/codec.ts";
import { MAGIC_COOKIE_VALUE } from "../../src/plugin/handshake.ts";
import { MemoryStorage } from "../../src/sdk/testing/memory_storage.ts";
import { makeTestCert } from "../_certs.ts";

const FIXTURE = fileURLToPath(new URL("../fixtures/echo_plugin.ts", import.meta.url));
const opts = { sanitizeOps: false, sanitizeResources: false };

function derToPem(base64Raw: string): string {
  const padded = base64Raw + "=".repeat((4 - base64Raw.length % 4) % 4);
  return `-----BEGIN CERTIFICATE-----\n${
    padded.match(/.{1,64}/g)!.join("\n")
  }\n-----END CERTIFICATE-----\n`;
}

async function startPlugin(env: Record<string, string>) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", FIXTURE],
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  const stderr = (async () => {
    let all = "";
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) all += chunk;
    return all;
  })();
  return { child, line: text.split("\n")[0], stderr, reader };
}

Deno.test({
  name: "serve() speaks go-plugin to a host: handshake, health, broker, backend, shutdown",
  ...opts,
  async fn() {
    const host = await makeTestCert({ curve: "P-521" });
    const plugin = await startPlugin({
      VAULT_BACKEND_PLUGIN: MAGIC_COOKIE_VALUE,
      PLUGIN_PROTOCOL_VERSIONS: "5",
      PLUGIN_CLIENT_CERT: host.cert,
      PATH: Deno.env.get("PATH") ?? "",
      HOME: Deno.env.get("HOME") ?? "/tmp",
      DENO_DIR: Deno.env.get("DENO_DIR") ?? "",
    });
    const fields = plugin.line.split("|");
    assert.deepEqual(fields.slice(0, 3), ["1", "5", "unix"], plugin.line);
    assert.equal(fields[4], "grpc");
    const socket = fields[3];
    const dir = socket.slice(0, socket.lastIndexOf("/"));
    assert.equal((await Deno.stat(dir)).mode! & 0o777, 0o700, "socket directory is not private");
    const pluginCert = derToPem(fields[5]);
    const tls = { key: host.key, cert: host.cert, ca: pluginCert };

    // A client without the host's certificate is refused.
    const stranger = await makeTestCert();
    const strangerResult = await GrpcClient.connect({ path: socket }, {
      tls: { key: stranger.key, cert: stranger.cert, ca: pluginCert },
    })
      .then((c) =>
        c.unary("/grpc.health.v1.Health/Check", encode("grpc.health.v1.HealthCheckRequest", {}), {
          timeoutMs: 2000,
        })
      )
      .then((r) => `accepted ${r}`, (e) => `refused ${e.message}`);
    assert.match(strangerResult, /^refused/);

    const client = await GrpcClient.connect({ path: socket }, { tls });
    const health = decode<{ status: number }>(
      "grpc.health.v1.HealthCheckResponse",
      await client.unary(
        "/grpc.health.v1.Health/Check",
        encode("grpc.health.v1.HealthCheckRequest", { service: "plugin" }),
      ),
    );
    assert.equal(health.status, 1);

    // The host side of the broker: a listener serving pb.Storage, announced on StartStream.
    const backing = new MemoryStorage();
    const hostDir = await Deno.makeTempDir();
    const brokered = new GrpcServer({ tls: { key: host.key, cert: host.cert, ca: pluginCert } });
    brokered.addUnary("/pb.Storage/Put", async (bytes) => {
      const { entry } = decode<{ entry: { key: string; value: Uint8Array } }>(
        "pb.StoragePutArgs",
        bytes,
      );
      await backing.put({ key: entry.key, value: entry.value });
      return encode("pb.StoragePutReply", {});
    });
    brokered.addUnary("/pb.Storage/Get", async (bytes) => {
      const { key } = decode<{ key: string }>("pb.StorageGetArgs", bytes);
      const entry = await backing.get(key);
      return encode("pb.StorageGetReply", entry ? { entry: { key, value: entry.value } } : {});
    });
    await brokered.listen({ path: `${hostDir}/broker.sock` });
    const stream = client.stream("/plugin.GRPCBroker/StartStream");
    await stream.send(
      encode("plugin.ConnInfo", {
        service_id: 7,
        network: "unix",
        address: `${hostDir}/broker.sock`,
      }),
    );

    const md = { metadata: { multiplex_id: ["mount-1"] } };
    const supported = decode<{ supported: boolean }>(
      "pluginutil.multiplexing.MultiplexingSupportResponse",
      await client.unary(
        "/pluginutil.multiplexing.PluginMultiplexing/MultiplexingSupport",
        encode("pluginutil.multiplexing.MultiplexingSupportRequest", {}),
      ),
    );
    assert.equal(supported.supported, true);
    const setup = decode<{ err: string }>(
      "pb.SetupReply",
      await client.unary(
        "/pb.Backend/Setup",
        encode("pb.SetupArgs", { broker_ID: 7, Config: { plugin_name: "echo" }, backendUUID: "u" }),
        md,
      ),
    );
    assert.equal(setup.err, "");
    assert.equal(
      decode<{ type: number }>(
        "pb.TypeReply",
        await client.unary("/pb.Backend/Type", encode("pb.Empty", {}), md),
      ).type,
      1,
    );
    const version = decode<{ plugin_version: string }>(
      "logical.VersionReply",
      await client.unary("/logical.PluginVersion/Version", encode("logical.Empty", {}), md),
    );
    assert.equal(version.plugin_version, "v0.0.1");

    const write = encode("pb.HandleRequestArgs", {
      request: { operation: "update", path: "foo", data: '{"a":1}' },
    });
    await client.unary("/pb.Backend/HandleRequest", write, md);
    assert.ok(backing.entries.has("foo"), "the write did not reach the host's storage");
    const read = decode<{ response: { data: string } | null }>(
      "pb.HandleRequestReply",
      await client.unary(
        "/pb.Backend/HandleRequest",
        encode("pb.HandleRequestArgs", {
          request: { operation: "read", path: "foo", data: "null" },
        }),
        md,
      ),
    );
    assert.deepEqual(JSON.parse(read.response!.data), { a: 1 });

    // An unknown mount is a gRPC error, as in the Go SDK.
    await assert.rejects(
      client.unary("/pb.Backend/Type", encode("pb.Empty", {}), {
        metadata: { multiplex_id: ["other"] },
      }),
    );

    await client.unary("/plugin.GRPCController/Shutdown", encode("plugin.Empty", {}));
    const status = await plugin.child.status;
    assert.equal(status.code, 0);
    await assert.rejects(Deno.stat(dir), Deno.errors.NotFound);
    const stderr = await plugin.stderr;
    assert.match(stderr, /"@message":"plugin started"/);
    stream.cancel();
    await client.close().catch(() => {});
    await brokered.close({ graceMs: 100 });
    await Deno.remove(hostDir, { recursive: true });
  },
});

Deno.test({
  name: "serve() run by a person explains itself and exits 1",
  ...opts,
  async fn() {
    const plugin = await startPlugin({
      PATH: Deno.env.get("PATH") ?? "",
      HOME: Deno.env.get("HOME") ?? "/tmp",
    });
    const status = await plugin.child.status;
    assert.equal(status.code, 1);
    assert.equal(plugin.line, "");
    assert.match(
      await plugin.stderr,
      /plugin for HashiCorp Vault and OpenBao[\s\S]*plugin register -sha256/,
    );
  },
});
