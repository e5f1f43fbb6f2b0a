/**
 * The plugin process as an engine sees it: these tests play the host. They start the echo plugin
 * with a host certificate, read the handshake line, talk gRPC to it, serve pb.Storage on a
 * brokered listener, and stop it in each way a host can.
 */
import assert from "node:assert/strict";
import { GrpcClient, GrpcServer } from "../../src/plugin/transport/mod.ts";
import {
  decode,
  encode,
  type Message,
  type MessageInit,
  type MessageName,
} from "../../src/sdk/pb/codec.ts";
import { MemoryStorage } from "../../src/sdk/testing/memory_storage.ts";
import { makeTestCert, type TestCert } from "../_certs.ts";
import {
  baseEnv,
  connectAsHost,
  exitWithin,
  hostEnv,
  pluginCertPem,
  pluginCommand,
  startPlugin,
} from "./_plugin_process.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const HCLOG_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const HOST = await makeTestCert({ curve: "P-521" });

/** The host's brokered listener: pb.Storage over a MemoryStorage, host certificate. */
async function brokeredStorage(host: TestCert, pluginCert: string) {
  const backing = new MemoryStorage();
  const dir = await Deno.makeTempDir();
  const server = new GrpcServer({ tls: { key: host.key, cert: host.cert, ca: pluginCert } });
  server.addUnary("/pb.Storage/Put", async (bytes) => {
    const { entry } = decode("pb.StoragePutArgs", bytes);
    await backing.put({ key: entry!.key, value: entry!.value });
    return encode("pb.StoragePutReply", {});
  });
  server.addUnary("/pb.Storage/Get", async (bytes) => {
    const { key } = decode("pb.StorageGetArgs", bytes);
    const entry = await backing.get(key);
    return encode("pb.StorageGetReply", entry ? { entry: { key, value: entry.value } } : {});
  });
  await server.listen({ path: `${dir}/broker.sock` });
  return {
    backing,
    path: `${dir}/broker.sock`,
    async close() {
      await server.close({ graceMs: 100 });
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** One unary call: request message name and value, reply message name. */
async function call<A extends MessageName, R extends MessageName>(
  client: GrpcClient,
  method: string,
  request: [A, MessageInit<Message<A>>],
  reply: R,
  options: { metadata?: Record<string, string[]> } = {},
): Promise<Message<R>> {
  return decode(reply, await client.unary(method, encode(request[0], request[1]), options));
}

function socketDir(line: string): string {
  const socket = line.split("|")[3];
  return socket.slice(0, socket.lastIndexOf("/"));
}

Deno.test({
  name: "serve() speaks go-plugin to a host: handshake, health, broker, backend, shutdown",
  ...opts,
  async fn() {
    const plugin = await startPlugin(hostEnv(HOST));
    const fields = plugin.line.split("|");
    assert.deepEqual(fields.slice(0, 3), ["1", "5", "unix"], plugin.line);
    assert.equal(fields.length, 6, "a seventh field without PLUGIN_MULTIPLEX_GRPC");
    assert.equal(fields[4], "grpc");
    const dir = socketDir(plugin.line);
    assert.equal((await Deno.stat(dir)).mode! & 0o777, 0o700, "socket directory is not private");

    // A client without the host's certificate is refused.
    const stranger = await makeTestCert();
    const strangerResult = await connectAsHost(plugin.line, stranger)
      .then((c) =>
        c.unary("/grpc.health.v1.Health/Check", encode("grpc.health.v1.HealthCheckRequest", {}), {
          timeoutMs: 2000,
        })
      )
      .then((r) => `accepted ${r}`, (e) => `refused ${e.message}`);
    assert.match(strangerResult, /^refused/);

    const client = await connectAsHost(plugin.line, HOST);
    const health = await call(
      client,
      "/grpc.health.v1.Health/Check",
      ["grpc.health.v1.HealthCheckRequest", { service: "plugin" }],
      "grpc.health.v1.HealthCheckResponse",
    );
    assert.equal(health.status, 1);

    // The host side of the broker: a listener serving pb.Storage, announced on StartStream.
    const storage = await brokeredStorage(HOST, pluginCertPem(plugin.line));
    const stream = client.stream("/plugin.GRPCBroker/StartStream");
    await stream.send(
      encode("plugin.ConnInfo", { service_id: 7, network: "unix", address: storage.path }),
    );

    const supported = await call(
      client,
      "/pluginutil.multiplexing.PluginMultiplexing/MultiplexingSupport",
      ["pluginutil.multiplexing.MultiplexingSupportRequest", {}],
      "pluginutil.multiplexing.MultiplexingSupportResponse",
    );
    assert.equal(supported.supported, true);
    const md = { metadata: { multiplex_id: ["mount-1"] } };
    const setup = await call(
      client,
      "/pb.Backend/Setup",
      [
        "pb.SetupArgs",
        { broker_id: 7, Config: { plugin_name: "echo" }, backendUUID: "u" },
      ],
      "pb.SetupReply",
      md,
    );
    assert.equal(setup.err, "");
    const type = await call(
      client,
      "/pb.Backend/Type",
      ["pb.Empty", {}],
      "pb.TypeReply",
      md,
    );
    assert.equal(type.type, 1);
    const version = await call(
      client,
      "/logical.PluginVersion/Version",
      ["logical.Empty", {}],
      "logical.VersionReply",
      md,
    );
    assert.equal(version.plugin_version, "v0.0.1");

    await call(
      client,
      "/pb.Backend/HandleRequest",
      [
        "pb.HandleRequestArgs",
        { request: { operation: "update", path: "foo", data: '{"a":1}' } },
      ],
      "pb.HandleRequestReply",
      md,
    );
    assert.ok(storage.backing.entries.has("foo"), "the write did not reach the host's storage");
    const read = await call(
      client,
      "/pb.Backend/HandleRequest",
      [
        "pb.HandleRequestArgs",
        { request: { operation: "read", path: "foo", data: "null" } },
      ],
      "pb.HandleRequestReply",
      md,
    );
    assert.deepEqual(JSON.parse(read.response!.data), { a: 1 });

    await call(client, "/plugin.GRPCController/Shutdown", ["plugin.Empty", {}], "plugin.Empty");
    assert.equal(await exitWithin(plugin.child, 2000), 0);
    await assert.rejects(Deno.stat(dir), Deno.errors.NotFound);
    assert.equal(await plugin.restOfStdout, "", "stdout carries the handshake line only");
    const lines = (await plugin.stderr).trimEnd().split("\n").map((l) => JSON.parse(l));
    for (const line of lines) {
      assert.match(line["@timestamp"], HCLOG_TIMESTAMP);
      assert.ok(["trace", "debug", "info", "warn", "error"].includes(line["@level"]));
      assert.equal(typeof line["@message"], "string");
    }
    const messages = lines.map((l) => l["@message"]);
    assert.ok(messages.includes("plugin started"), messages.join(", "));
    assert.ok(messages.includes("echo request"), "the backend's logger does not reach stderr");
    stream.cancel();
    await client.close({ graceMs: 100 }).catch(() => {});
    await storage.close();
  },
});

Deno.test({
  name: "serve() run by a person explains itself and exits 1",
  ...opts,
  async fn() {
    const plugin = await startPlugin(baseEnv());
    assert.equal(await exitWithin(plugin.child, 5000), 1);
    assert.equal(plugin.line, "");
    const stderr = await plugin.stderr;
    assert.match(stderr, /^This binary is a plugin for HashiCorp Vault and OpenBao/);
    assert.match(stderr, /vault plugin register -sha256=.* secret echo-plugin/);
  },
});

Deno.test({
  name: "serve() probed as a database plugin exits 1 at once",
  ...opts,
  async fn() {
    const plugin = await startPlugin({
      ...baseEnv(),
      VAULT_DATABASE_PLUGIN: "926a0820-aea2-be28-51d6-83cdf00e8edb",
      PLUGIN_PROTOCOL_VERSIONS: "5,6",
    });
    assert.equal(await exitWithin(plugin.child, 5000), 1);
    assert.equal(plugin.line, "");
    assert.match(await plugin.stderr, /is a secrets engine plugin, not a database plugin/);
  },
});

Deno.test({
  name: "serve() --version prints the name and version",
  ...opts,
  async fn() {
    const plugin = await startPlugin(baseEnv(), { args: ["--version"] });
    assert.equal(plugin.line, "echo-plugin v0.0.1");
    assert.equal(await exitWithin(plugin.child, 5000), 0);
  },
});

Deno.test({
  name: "serve() ignores SIGINT and stops cleanly on SIGTERM",
  ...opts,
  async fn() {
    const plugin = await startPlugin(hostEnv(HOST));
    const dir = socketDir(plugin.line);
    plugin.child.kill("SIGINT");
    await new Promise((resolve) => setTimeout(resolve, 300));
    const client = await connectAsHost(plugin.line, HOST);
    await client.unary(
      "/grpc.health.v1.Health/Check",
      encode("grpc.health.v1.HealthCheckRequest", {}),
    );
    plugin.child.kill("SIGTERM");
    assert.equal(await exitWithin(plugin.child, 2000), 0);
    await assert.rejects(Deno.stat(dir), Deno.errors.NotFound);
    assert.match(await plugin.stderr, /"reason":"SIGTERM"/);
    await client.close({ graceMs: 50 }).catch(() => {});
  },
});

Deno.test({
  name: "serve() stops when the host ends the broker stream",
  ...opts,
  async fn() {
    const plugin = await startPlugin(hostEnv(HOST));
    const client = await connectAsHost(plugin.line, HOST);
    const stream = client.stream("/plugin.GRPCBroker/StartStream");
    await stream.send(encode("plugin.ConnInfo", { service_id: 1, network: "unix", address: "/x" }));
    stream.end();
    assert.equal(await exitWithin(plugin.child, 4000), 0);
    assert.match(await plugin.stderr, /"reason":"the host closed the broker stream"/);
    await client.close({ graceMs: 50 }).catch(() => {});
  },
});

Deno.test({
  name: "serve() answers |false when the host asks for the multiplexed broker",
  ...opts,
  async fn() {
    const plugin = await startPlugin(hostEnv(HOST, { PLUGIN_MULTIPLEX_GRPC: "true" }));
    assert.match(plugin.line, /\|grpc\|[A-Za-z0-9+/]{50,}\|false$/);
    plugin.child.kill("SIGTERM");
    assert.equal(await exitWithin(plugin.child, 2000), 0);
  },
});

Deno.test({
  name: "serve() --tcp listens on 127.0.0.1 within the host's port range",
  ...opts,
  async fn() {
    const env = hostEnv(HOST, { PLUGIN_MIN_PORT: "23100", PLUGIN_MAX_PORT: "23199" });
    const plugin = await startPlugin(env, { args: ["--tcp"] });
    const [, , network, address] = plugin.line.split("|");
    assert.equal(network, "tcp");
    const [ip, port] = address.split(":");
    assert.equal(ip, "127.0.0.1");
    assert.ok(Number(port) >= 23100 && Number(port) <= 23199, address);
    const client = await connectAsHost(plugin.line, HOST);
    await client.unary(
      "/grpc.health.v1.Health/Check",
      encode("grpc.health.v1.HealthCheckRequest", {}),
    );
    await client.unary("/plugin.GRPCController/Shutdown", encode("plugin.Empty", {}));
    assert.equal(await exitWithin(plugin.child, 2000), 0);
    await client.close({ graceMs: 50 }).catch(() => {});
  },
});

Deno.test({
  name: "serve() exits when the engine that started it dies",
  ...opts,
  async fn() {
    // A shell plays an engine that starts the plugin and is killed: the plugin is re-parented.
    const out = await Deno.makeTempFile();
    const script = `"$@" > '${out}' 2>/dev/null & pid=$!
      i=0; while [ ! -s '${out}' ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done
      echo $pid`;
    const engine = await new Deno.Command("sh", {
      args: ["-c", script, "sh", ...pluginCommand()],
      env: hostEnv(HOST),
      clearEnv: true,
      stdout: "piped",
    }).output();
    const pid = Number(new TextDecoder().decode(engine.stdout).trim());
    const line = (await Deno.readTextFile(out)).split("\n")[0];
    const dir = socketDir(line);
    // A dead plugin may stay a zombie if nothing reaps it here: that counts as gone.
    const alive = () => {
      try {
        return !/^\d+ \(.*\) Z/.test(Deno.readTextFileSync(`/proc/${pid}/stat`));
      } catch {
        return false;
      }
    };
    assert.ok(pid > 0 && line.startsWith("1|5|unix|"), line);
    const deadline = Date.now() + 5000;
    while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const stillAlive = alive();
    if (stillAlive) Deno.kill(pid, "SIGKILL");
    await Deno.remove(out);
    assert.equal(stillAlive, false, "the orphaned plugin kept running");
    await assert.rejects(Deno.stat(dir), Deno.errors.NotFound);
  },
});
