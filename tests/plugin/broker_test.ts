import assert from "node:assert/strict";
import { addressOf, Broker } from "../../src/plugin/broker.ts";
import { generatePluginCertificate } from "../../src/plugin/certificate.ts";
import { GrpcServer, type ServerStreamCall } from "../../src/plugin/transport/mod.ts";
import { encode } from "../../src/sdk/pb/codec.ts";
import { makeTestCert } from "../_certs.ts";

/** A StartStream call whose incoming messages the test pushes. */
function fakeStream() {
  const queue: Uint8Array[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  const abort = new AbortController();
  const call: ServerStreamCall = {
    ctx: { metadata: {}, signal: abort.signal },
    messages: {
      async *[Symbol.asyncIterator]() {
        while (true) {
          if (queue.length > 0) yield queue.shift()!;
          else if (ended) return;
          else await new Promise<void>((resolve) => wake = resolve);
        }
      },
    },
    send: async () => {},
  };
  return {
    call,
    announce(info: Record<string, unknown>) {
      queue.push(encode("plugin.ConnInfo", info));
      wake?.();
    },
    end() {
      ended = true;
      wake?.();
    },
  };
}

/** The host's side: a listener serving one echo method with the host certificate. */
async function hostListener() {
  const [host, plugin] = await Promise.all([makeTestCert(), generatePluginCertificate()]);
  const dir = await Deno.makeTempDir();
  const server = new GrpcServer({ tls: { key: host.key, cert: host.cert, ca: plugin.certPem } });
  server.addUnary("/test.Echo/Echo", async (request) => request);
  await server.listen({ path: `${dir}/broker.sock` });
  return {
    path: `${dir}/broker.sock`,
    pluginTls: { key: plugin.keyPem, cert: plugin.certPem, ca: host.cert },
    async [Symbol.asyncDispose]() {
      await server.close({ graceMs: 100 });
      await Deno.remove(dir, { recursive: true });
    },
  };
}

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test({
  name: "Broker.dial connects to a listener announced before or after the dial",
  ...opts,
  async fn() {
    await using host = await hostListener();
    const broker = new Broker(host.pluginTls);
    const stream = fakeStream();
    const serving = broker.startStream(stream.call);
    stream.announce({ service_id: 1, network: "unix", address: host.path });
    await new Promise((resolve) => setTimeout(resolve, 10));
    const early = await broker.dial(1);
    const late = broker.dial(2);
    stream.announce({ service_id: 2, network: "unix", address: host.path });
    const second = await late;
    for (const conn of [early, second]) {
      const reply = await conn.invoke("/test.Echo/Echo", Uint8Array.of(1, 2, 3));
      assert.deepEqual(reply, Uint8Array.of(1, 2, 3));
      await conn.close();
    }
    assert.ok(broker.established);
    broker.close();
    await serving;
  },
});

Deno.test("Broker.dial times out with go-plugin's message", async () => {
  const broker = new Broker({ key: "", cert: "", ca: "" });
  await assert.rejects(
    broker.dial(9, { timeoutMs: 30 }),
    { message: "timeout waiting for connection info for broker id 9" },
  );
});

Deno.test("Broker drops an announcement nobody claims in time", async () => {
  const broker = new Broker({ key: "", cert: "", ca: "" }, { keepMs: 20 });
  const stream = fakeStream();
  const serving = broker.startStream(stream.call);
  stream.announce({ service_id: 3, network: "unix", address: "/nowhere" });
  await new Promise((resolve) => setTimeout(resolve, 60));
  await assert.rejects(broker.dial(3, { timeoutMs: 20 }), /timeout waiting for connection info/);
  broker.close();
  await serving;
});

Deno.test("Broker.dial stops waiting when its signal aborts", async () => {
  const broker = new Broker({ key: "", cert: "", ca: "" });
  const abort = new AbortController();
  const dialing = broker.dial(4, { signal: abort.signal });
  abort.abort(new Error("setup cancelled"));
  await assert.rejects(dialing, { message: "setup cancelled" });
});

Deno.test("Broker ignores knocks, which only the multiplexed broker sends", async () => {
  const broker = new Broker({ key: "", cert: "", ca: "" });
  const stream = fakeStream();
  const serving = broker.startStream(stream.call);
  stream.announce({ service_id: 5, knock: { knock: true } });
  await assert.rejects(broker.dial(5, { timeoutMs: 30 }), /timeout/);
  broker.close();
  await serving;
});

Deno.test("Broker calls onStreamEnd when the host ends the stream, not when we close", async () => {
  let ends = 0;
  const broker = new Broker({ key: "", cert: "", ca: "" }, { onStreamEnd: () => ends++ });
  const hostEnded = fakeStream();
  const first = broker.startStream(hostEnded.call);
  hostEnded.end();
  await first;
  assert.equal(ends, 1);

  const ours = fakeStream();
  const second = broker.startStream(ours.call);
  broker.close();
  await second;
  assert.equal(ends, 1, "closing the broker ourselves is not the host going away");
});

Deno.test("addressOf reads unix and tcp addresses", async (t) => {
  const cases: [string, string, unknown][] = [
    ["unix", "/tmp/plugin123", { path: "/tmp/plugin123" }],
    ["tcp", "127.0.0.1:10001", { host: "127.0.0.1", port: 10001 }],
    ["tcp", "[::1]:10002", { host: "::1", port: 10002 }],
  ];
  for (const [network, address, expected] of cases) {
    await t.step(`${network} ${address}`, () => {
      assert.deepEqual(addressOf({ network, address }), expected);
    });
  }
  for (const [network, address] of [["udp", "x"], ["tcp", "nohost"], ["tcp", "h:99999"]]) {
    await t.step(`refuses ${network} ${address}`, () => {
      assert.throws(() => addressOf({ network, address }), /Cannot dial the host's broker/);
    });
  }
});
