import assert from "node:assert/strict";
import { registerPluginServices } from "../../src/plugin/services.ts";
import {
  type CallContext,
  GrpcError,
  type ServerStreamCall,
  Status,
  type StreamHandler,
  type UnaryHandler,
} from "../../src/plugin/transport/mod.ts";
import { decode, encode } from "../../src/sdk/pb/codec.ts";

function setup() {
  const unary = new Map<string, UnaryHandler>();
  const streams = new Map<string, StreamHandler>();
  const stopping = new AbortController();
  let shutdowns = 0;
  const startStream = async () => {};
  registerPluginServices({
    addUnary: (method, handler) => unary.set(method, handler),
    addStream: (method, handler) => streams.set(method, handler),
  }, { broker: { startStream }, onShutdown: () => shutdowns++, stopping: stopping.signal });
  return { unary, streams, stopping, startStream, shutdowns: () => shutdowns };
}

function context(): CallContext & { abort: AbortController } {
  const abort = new AbortController();
  return { metadata: {}, signal: abort.signal, abort };
}

function streamCall(requests: Uint8Array[], ctx = context()) {
  const sent: Uint8Array[] = [];
  const call: ServerStreamCall = {
    ctx,
    messages: (async function* () {
      yield* requests;
    })(),
    send: async (message) => {
      sent.push(message);
    },
  };
  return { call, sent, ctx };
}

const check = (service: string) => encode("grpc.health.v1.HealthCheckRequest", { service });
const status = (bytes: Uint8Array) =>
  decode<{ status: number }>("grpc.health.v1.HealthCheckResponse", bytes).status;

Deno.test("registerPluginServices answers health checks for the plugin like grpc-go", async (t) => {
  const { unary } = setup();
  const handler = unary.get("/grpc.health.v1.Health/Check")!;
  for (const service of ["plugin", ""]) {
    await t.step(`"${service}" is SERVING`, async () => {
      assert.equal(status(await handler(check(service), context())), 1);
    });
  }
  await t.step("another service is NOT_FOUND", async () => {
    await assert.rejects(
      handler(check("pb.Backend"), context()),
      (error) => error instanceof GrpcError && error.code === Status.NOT_FOUND,
    );
  });
});

Deno.test("registerPluginServices' health Watch sends the status and stays open", async () => {
  const { streams } = setup();
  const { call, sent, ctx } = streamCall([check("plugin")]);
  let done = false;
  const watching = streams.get("/grpc.health.v1.Health/Watch")!(call).then(() => done = true);
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.deepEqual(sent.map(status), [1]);
  assert.equal(done, false);
  ctx.abort.abort();
  await watching;
});

Deno.test("registerPluginServices serves the broker stream with the broker", () => {
  const { streams, startStream } = setup();
  assert.equal(streams.get("/plugin.GRPCBroker/StartStream"), startStream);
});

Deno.test("registerPluginServices' Shutdown replies first, then shuts down", async () => {
  const { unary, shutdowns } = setup();
  const reply = await unary.get("/plugin.GRPCController/Shutdown")!(
    encode("plugin.Empty", {}),
    context(),
  );
  assert.deepEqual(decode("plugin.Empty", reply), {});
  assert.equal(shutdowns(), 0, "stopped before the reply went out");
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(shutdowns(), 1);
});

Deno.test("registerPluginServices' stdio stream sends nothing until cancelled or stopping", async () => {
  const { streams, stopping } = setup();
  const handler = streams.get("/plugin.GRPCStdio/StreamStdio")!;
  const byHost = streamCall([encode("google.protobuf.Empty", {})]);
  const byStop = streamCall([encode("google.protobuf.Empty", {})]);
  const ended: string[] = [];
  const a = handler(byHost.call).then(() => ended.push("host"));
  const b = handler(byStop.call).then(() => ended.push("stop"));
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.deepEqual(ended, []);
  byHost.ctx.abort.abort();
  await a;
  assert.deepEqual(ended, ["host"]);
  stopping.abort();
  await b;
  assert.deepEqual(ended, ["host", "stop"]);
  assert.equal(byHost.sent.length + byStop.sent.length, 0);
});
