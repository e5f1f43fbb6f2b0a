/** startCall on a client-role H2Connection, against a raw server over memory sockets. */
import assert from "node:assert/strict";
import { startCall } from "../../../src/plugin/transport/client_call.ts";
import { H2Connection } from "../../../src/plugin/transport/connection.ts";
import {
  ErrorCode,
  Flag,
  type Frame,
  FrameType,
  Setting,
  uint32Bytes,
} from "../../../src/plugin/transport/frames.ts";
import type { HeaderField } from "../../../src/plugin/transport/hpack.ts";
import { GrpcError, Status } from "../../../src/plugin/transport/types.ts";
import { RawPeer, socketPair } from "./_raw_peer.ts";

const TARGET = { authority: "localhost", maxMessageBytes: 1 << 20 };
const OK_HEADERS: HeaderField[] = [[":status", "200"], ["content-type", "application/grpc"]];

function clientAndServer(serverSettings: Array<[number, number]> = []) {
  const [clientSocket, serverSocket] = socketPair();
  const conn = new H2Connection(clientSocket, "client");
  const server = new RawPeer(serverSocket, "server");
  server.start(serverSettings);
  return { conn, server };
}

/** A unary call: one message with END_STREAM; resolves with the reply or the GrpcError. */
async function unary(conn: H2Connection, body: number[]): Promise<Uint8Array | GrpcError> {
  const call = startCall(conn, "/t.Echo/Echo", TARGET);
  call.sendLast(Uint8Array.from(body));
  const replies: Uint8Array[] = [];
  try {
    for await (const message of call.messages) replies.push(message);
    await call.status;
    return replies[0];
  } catch (error) {
    return error as GrpcError;
  }
}

const isRequest = (id: number) => (f: Frame) => f.type === FrameType.HEADERS && f.streamId === id;

function respond(server: RawPeer, id: number, body: number[], status = "0"): void {
  server.headers(id, OK_HEADERS);
  server.send(FrameType.DATA, 0, id, Uint8Array.of(0, 0, 0, 0, body.length, ...body));
  server.headers(id, [["grpc-status", status]], Flag.END_HEADERS | Flag.END_STREAM);
}

Deno.test("startCall finishes streams up to GOAWAY's last-stream-id and refuses newer ones", async () => {
  const { conn, server } = clientAndServer();
  const calls = [unary(conn, [1]), unary(conn, [3]), unary(conn, [5])];
  await server.next(isRequest(5));
  server.send(FrameType.GOAWAY, 0, 0, uint32Bytes(3, ErrorCode.NO_ERROR));
  const refused = await calls[2];
  assert.ok(refused instanceof GrpcError && refused.code === Status.UNAVAILABLE, String(refused));
  assert.equal(conn.accepting, false);
  const late = await unary(conn, [7]);
  assert.ok(late instanceof GrpcError && late.code === Status.UNAVAILABLE);
  respond(server, 1, [1]);
  respond(server, 3, [3]);
  assert.deepEqual([...(await calls[0]) as Uint8Array], [1]);
  assert.deepEqual([...(await calls[1]) as Uint8Array], [3]);
  // Done draining: the client says GOAWAY too and closes.
  await server.next((f) => f.type === FrameType.GOAWAY);
  await conn.closed;
});

Deno.test("startCall waits for a stream slot under the peer's MAX_CONCURRENT_STREAMS", async () => {
  const { conn, server } = clientAndServer([[Setting.MAX_CONCURRENT_STREAMS, 2]]);
  await server.next((f) => f.type === FrameType.SETTINGS && f.flags === Flag.ACK);
  const calls = [1, 2, 3, 4].map((n) => unary(conn, [n]));
  await server.next(isRequest(3));
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(server.frames.filter((f) => f.type === FrameType.HEADERS).length, 2);
  respond(server, 1, [1]);
  await server.next(isRequest(5));
  respond(server, 3, [2]);
  await server.next(isRequest(7));
  respond(server, 5, [3]);
  respond(server, 7, [4]);
  assert.deepEqual((await Promise.all(calls)).map((r) => [...r as Uint8Array]), [[1], [2], [3], [
    4,
  ]]);
  conn.destroy();
});

Deno.test("startCall maps every way a call can end to a gRPC status", async (t) => {
  const cases: Array<[string, (s: RawPeer, id: number) => void, number, RegExp?]> = [
    [
      "Trailers-Only with a percent-encoded message",
      (s, id) =>
        s.headers(id, [...OK_HEADERS, ["grpc-status", "5"], [
          "grpc-message",
          "no %22x%22 %E2%9C%93 %zz",
        ]], 5),
      Status.NOT_FOUND,
      /^no "x" ✓ %zz$/,
    ],
    [
      "HTTP 503 without grpc-status",
      (s, id) => s.headers(id, [[":status", "503"]], 5),
      Status.UNAVAILABLE,
    ],
    [
      "a non-gRPC content type",
      (s, id) => s.headers(id, [[":status", "200"], ["content-type", "text/html"]], 5),
      Status.UNKNOWN,
    ],
    ["trailers without grpc-status", (s, id) => {
      s.headers(id, OK_HEADERS);
      s.headers(id, [["x", "y"]], 5);
    }, Status.INTERNAL],
    ["END_STREAM on DATA without trailers", (s, id) => {
      s.headers(id, OK_HEADERS);
      s.send(FrameType.DATA, Flag.END_STREAM, id, Uint8Array.of(0, 0, 0, 0, 0));
    }, Status.INTERNAL],
    [
      "a compressed message",
      (s, id) => {
        s.headers(id, OK_HEADERS);
        s.send(FrameType.DATA, 0, id, Uint8Array.of(1, 0, 0, 0, 1, 9));
      },
      Status.INTERNAL,
      /compressed/,
    ],
    [
      "trailers inside a message",
      (s, id) => {
        s.headers(id, OK_HEADERS);
        s.send(FrameType.DATA, 0, id, Uint8Array.of(0, 0, 0, 0, 9, 1));
        s.headers(id, [["grpc-status", "0"]], 5);
      },
      Status.INTERNAL,
      /inside a message/,
    ],
    [
      "RST_STREAM REFUSED_STREAM",
      (s, id) => s.send(FrameType.RST_STREAM, 0, id, uint32Bytes(7)),
      Status.UNAVAILABLE,
    ],
    [
      "RST_STREAM CANCEL",
      (s, id) => s.send(FrameType.RST_STREAM, 0, id, uint32Bytes(8)),
      Status.CANCELLED,
    ],
    [
      "RST_STREAM ENHANCE_YOUR_CALM",
      (s, id) => s.send(FrameType.RST_STREAM, 0, id, uint32Bytes(11)),
      Status.RESOURCE_EXHAUSTED,
    ],
    ["the connection closing", (s) => s.socket.destroy(), Status.UNAVAILABLE],
  ];
  for (const [name, answer, code, message] of cases) {
    await t.step(name, async () => {
      const { conn, server } = clientAndServer();
      const result = unary(conn, [1]);
      await server.next(isRequest(1));
      answer(server, 1);
      const error = await result;
      assert.ok(error instanceof GrpcError, `resolved with ${error}`);
      assert.equal(error.code, code, error.message);
      if (message) assert.match(error.message, message);
      conn.destroy();
    });
  }
});

Deno.test("startCall sends grpc-timeout and metadata, and cancels with RST_STREAM", async () => {
  const { conn, server } = clientAndServer();
  const abort = new AbortController();
  const call = startCall(conn, "/t.S/M", {
    ...TARGET,
    timeoutMs: 1500,
    metadata: { "X-Mount": ["kv/"] },
    signal: abort.signal,
  });
  const headers = await server.next(isRequest(1));
  const fields = server.decoder.decode(headers.payload);
  assert.deepEqual(fields.find(([n]) => n === "grpc-timeout"), ["grpc-timeout", "1500m"]);
  assert.deepEqual(fields.find(([n]) => n === "x-mount"), ["x-mount", "kv/"]);
  abort.abort();
  const reset = await server.next((f) => f.type === FrameType.RST_STREAM);
  assert.equal(reset.streamId, 1);
  await assert.rejects(call.status, (e: GrpcError) => e.code === Status.CANCELLED);
  await assert.rejects(call.send(Uint8Array.of(1)), (e: GrpcError) => e.code === Status.CANCELLED);
  conn.destroy();
});

Deno.test("startCall frees the stream when the server answers before we half-close", async () => {
  const { conn, server } = clientAndServer();
  const call = startCall(conn, "/t.S/Early", TARGET);
  await server.next(isRequest(1));
  server.headers(1, [...OK_HEADERS, ["grpc-status", "7"]], Flag.END_HEADERS | Flag.END_STREAM);
  await assert.rejects(call.status, (e: GrpcError) => e.code === Status.PERMISSION_DENIED);
  const reset = await server.next((f) => f.type === FrameType.RST_STREAM && f.streamId === 1);
  assert.equal(reset.payload[3], ErrorCode.CANCEL);
  assert.equal(conn.streams.size, 0);
  conn.destroy();
});

Deno.test("startCall cancelled while waiting for a stream slot never opens a stream", async () => {
  const { conn, server } = clientAndServer([[Setting.MAX_CONCURRENT_STREAMS, 1]]);
  await server.next((f) => f.type === FrameType.SETTINGS && f.flags === Flag.ACK);
  const first = unary(conn, [1]);
  const abort = new AbortController();
  const waiting = startCall(conn, "/t.S/Wait", { ...TARGET, signal: abort.signal });
  const third = unary(conn, [3]);
  await server.next(isRequest(1));
  abort.abort();
  await assert.rejects(waiting.status, (e: GrpcError) => e.code === Status.CANCELLED);
  respond(server, 1, [1]);
  // The freed slot goes to the third call, which gets stream id 3: the cancelled call used none.
  await server.next(isRequest(3));
  respond(server, 3, [3]);
  assert.deepEqual([...(await first) as Uint8Array, ...(await third) as Uint8Array], [1, 3]);
  assert.equal(server.frames.filter((f) => f.type === FrameType.HEADERS).length, 2);
  conn.destroy();
});

Deno.test("startCall splits a large header block into HEADERS and CONTINUATION frames", async () => {
  const { conn, server } = clientAndServer();
  await server.next((f) => f.type === FrameType.SETTINGS && f.flags === Flag.ACK);
  const big = "v".repeat(40_000);
  startCall(conn, "/t.S/M", { ...TARGET, metadata: { "x-big": [big] } });
  const first = await server.next(isRequest(1));
  assert.equal(first.flags & Flag.END_HEADERS, 0);
  await server.next((f) => f.type === FrameType.CONTINUATION && (f.flags & Flag.END_HEADERS) !== 0);
  const parts = server.frames
    .filter((f) => f.type === FrameType.HEADERS || f.type === FrameType.CONTINUATION)
    .map((f) => f.payload);
  assert.ok(parts.length >= 3 && parts.every((p) => p.length <= 16_384));
  const block = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((offset, p) => (block.set(p, offset), offset + p.length), 0);
  assert.deepEqual(server.decoder.decode(block).find(([n]) => n === "x-big"), ["x-big", big]);
  conn.destroy();
});
