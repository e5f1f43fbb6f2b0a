/** serveCall on a server-role H2Connection, driven by a raw client over memory sockets. */
import assert from "node:assert/strict";
import { H2Connection } from "../../../src/plugin/transport/connection.ts";
import { Flag, type Frame, FrameType } from "../../../src/plugin/transport/frames.ts";
import type { HeaderField } from "../../../src/plugin/transport/hpack.ts";
import { type Handler, serveCall } from "../../../src/plugin/transport/server_call.ts";
import { codeName, errorCodeOf, RawPeer, socketPair } from "./_raw_peer.ts";

function request(path: string, extra: HeaderField[] = []): HeaderField[] {
  return [
    [":method", "POST"],
    [":scheme", "https"],
    [":path", path],
    [":authority", "localhost"],
    ["content-type", "application/grpc"],
    ["te", "trailers"],
    ...extra,
  ];
}

function serverWith(handlers: Array<[string, Handler]>) {
  const [serverSocket, clientSocket] = socketPair();
  const conn = new H2Connection(serverSocket, "server", {
    onStream: (stream, fields) =>
      serveCall(stream, fields, { handlers: new Map(handlers), maxMessageBytes: 1 << 20 }),
  });
  const client = new RawPeer(clientSocket, "client");
  client.start([], { preface: true });
  return { conn, client };
}

const endOf = (id: number) => (f: Frame) =>
  f.type === FrameType.HEADERS && f.streamId === id && (f.flags & Flag.END_STREAM) !== 0;

Deno.test("serveCall ends a call at its grpc-timeout with DEADLINE_EXCEEDED and RST_STREAM", async () => {
  let signal: AbortSignal | undefined;
  const { conn, client } = serverWith([["/t.S/Hang", {
    kind: "stream",
    fn: (call) => {
      signal = call.ctx.signal;
      return new Promise(() => {});
    },
  }]]);
  const started = performance.now();
  client.headers(1, request("/t.S/Hang", [["grpc-timeout", "100m"]]));
  const end = await client.next(endOf(1));
  const elapsed = performance.now() - started;
  assert.ok(elapsed >= 95 && elapsed < 1000, `after ${elapsed} ms`);
  assert.deepEqual(client.decoder.decode(end.payload), [
    [":status", "200"],
    ["content-type", "application/grpc"],
    ["grpc-status", "4"],
    ["grpc-message", "deadline exceeded"],
  ]);
  const reset = await client.next((f) => f.type === FrameType.RST_STREAM);
  assert.equal(codeName(errorCodeOf(reset)), "NO_ERROR");
  assert.equal(signal?.aborted, true);
  conn.destroy();
});

Deno.test("serveCall answers non-gRPC requests with HTTP errors and refuses compression", async () => {
  const { conn, client } = serverWith([["/t.S/M", { kind: "unary", fn: async (r) => r }]]);
  client.headers(
    1,
    [[":method", "GET"], [":scheme", "https"], [":path", "/"], [":authority", "x"]],
    5,
  );
  assert.deepEqual(client.decoder.decode((await client.next(endOf(1))).payload), [[
    ":status",
    "405",
  ]]);
  client.headers(3, [...request("/t.S/M").filter(([n]) => n !== "content-type"), [
    "content-type",
    "text/plain",
  ]], 5);
  assert.deepEqual(client.decoder.decode((await client.next(endOf(3))).payload), [[
    ":status",
    "415",
  ]]);
  client.headers(5, request("/t.S/M", [["grpc-encoding", "gzip"]]), 5);
  const gzip = client.decoder.decode((await client.next(endOf(5))).payload);
  assert.deepEqual(gzip.find(([n]) => n === "grpc-status"), ["grpc-status", "12"]);
  client.headers(7, request("/t.S/M"));
  client.send(FrameType.DATA, Flag.END_STREAM, 7, Uint8Array.of(1, 0, 0, 0, 1, 9));
  const compressed = client.decoder.decode((await client.next(endOf(7))).payload);
  assert.deepEqual(compressed.find(([n]) => n === "grpc-status"), ["grpc-status", "13"]);
  conn.destroy();
});

Deno.test("serveCall requires exactly one request message for a unary method", async () => {
  const { conn, client } = serverWith([["/t.S/M", { kind: "unary", fn: async (r) => r }]]);
  client.headers(1, request("/t.S/M"), 5); // no message at all
  const none = client.decoder.decode((await client.next(endOf(1))).payload);
  assert.deepEqual(none.find(([n]) => n === "grpc-status"), ["grpc-status", "13"]);
  client.headers(3, request("/t.S/M"));
  client.send(
    FrameType.DATA,
    Flag.END_STREAM,
    3,
    Uint8Array.of(0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 2),
  );
  const two = client.decoder.decode((await client.next(endOf(3))).payload);
  assert.deepEqual(two.find(([n]) => n === "grpc-status"), ["grpc-status", "13"]);
  conn.destroy();
});
