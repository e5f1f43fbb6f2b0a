/** H2Connection in the server role, driven frame by frame by a raw client over memory sockets. */
import assert from "node:assert/strict";
import { H2Connection } from "../../../src/plugin/transport/connection.ts";
import {
  encodeFrame,
  ErrorCode,
  Flag,
  FrameType,
  Setting,
  uint32Bytes,
} from "../../../src/plugin/transport/frames.ts";
import type { HeaderField } from "../../../src/plugin/transport/hpack.ts";
import { type Handler, serveCall } from "../../../src/plugin/transport/server_call.ts";
import type { LocalSettings } from "../../../src/plugin/transport/settings.ts";
import { codeName, errorCodeOf, RawPeer, socketPair } from "./_raw_peer.ts";

const REQUEST: HeaderField[] = [
  [":method", "POST"],
  [":scheme", "https"],
  [":path", "/t.Echo/Echo"],
  [":authority", "localhost"],
  ["content-type", "application/grpc"],
  ["te", "trailers"],
];

function grpcMessage(body: number[]): Uint8Array {
  return Uint8Array.of(0, 0, 0, 0, body.length, ...body);
}

/** A server-role connection serving Echo, and a raw client that already sent its preface. */
function serverAndClient(
  settings: Partial<LocalSettings> = {},
  clientSettings: Array<[number, number]> = [],
) {
  const [serverSocket, clientSocket] = socketPair();
  const handlers = new Map<string, Handler>([
    ["/t.Echo/Echo", { kind: "unary", fn: async (request) => request }],
    ["/t.Echo/Big", { kind: "unary", fn: async () => new Uint8Array(100_000).fill(7) }],
  ]);
  const conn = new H2Connection(serverSocket, "server", {
    settings,
    onStream: (stream, fields) => serveCall(stream, fields, { handlers, maxMessageBytes: 1 << 20 }),
  });
  const client = new RawPeer(clientSocket, "client");
  client.start(clientSettings, { preface: true });
  return { conn, client };
}

async function expectGoaway(client: RawPeer, conn: H2Connection, code: number) {
  const goaway = await client.goaway();
  assert.equal(codeName(goaway.code), codeName(code));
  await conn.closed;
  await client.closed();
}

Deno.test("H2Connection sends SETTINGS, acknowledges the peer's and answers PING", async () => {
  const { conn, client } = serverAndClient();
  const settings = await client.next((f) => f.type === FrameType.SETTINGS && f.flags === 0);
  assert.equal(settings.payload.length % 6, 0);
  await client.next((f) => f.type === FrameType.SETTINGS && f.flags === Flag.ACK);
  client.send(FrameType.PING, 0, 0, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8));
  const pong = await client.next((f) => f.type === FrameType.PING);
  assert.equal(pong.flags, Flag.ACK);
  assert.deepEqual([...pong.payload], [1, 2, 3, 4, 5, 6, 7, 8]);
  conn.destroy();
});

Deno.test("H2Connection serves a request sent as HEADERS + CONTINUATION + padded DATA", async () => {
  const { conn, client } = serverAndClient();
  const block = client.encoder.encode(REQUEST);
  client.send(FrameType.HEADERS, 0, 1, block.subarray(0, 5));
  client.send(FrameType.CONTINUATION, Flag.END_HEADERS, 1, block.subarray(5));
  client.send(
    FrameType.DATA,
    Flag.PADDED | Flag.END_STREAM,
    1,
    Uint8Array.of(3, ...grpcMessage([42]), 0, 0, 0),
  );
  const data = await client.next((f) => f.type === FrameType.DATA && f.streamId === 1);
  assert.deepEqual([...data.payload], [...grpcMessage([42])]);
  const trailers = await client.next((f) =>
    f.type === FrameType.HEADERS && (f.flags & Flag.END_STREAM) !== 0
  );
  client.decoder.decode((await client.next((f) => f.type === FrameType.HEADERS)).payload);
  assert.deepEqual(client.decoder.decode(trailers.payload), [["grpc-status", "0"]]);
  conn.destroy();
});

Deno.test("H2Connection ends the connection with GOAWAY on connection errors", async (t) => {
  const cases: Array<[string, (c: RawPeer) => void, number]> = [
    [
      "DATA on stream 0",
      (c) => c.send(FrameType.DATA, 0, 0, Uint8Array.of(1)),
      ErrorCode.PROTOCOL_ERROR,
    ],
    [
      "DATA on an idle stream",
      (c) => c.send(FrameType.DATA, 0, 7, Uint8Array.of(1)),
      ErrorCode.PROTOCOL_ERROR,
    ],
    ["HEADERS on an even stream", (c) => c.headers(2, REQUEST), ErrorCode.PROTOCOL_ERROR],
    [
      "CONTINUATION without HEADERS",
      (c) => c.send(FrameType.CONTINUATION, 4, 1, Uint8Array.of(0x82)),
      ErrorCode.PROTOCOL_ERROR,
    ],
    ["a header block interrupted", (c) => {
      c.send(FrameType.HEADERS, 0, 1, c.encoder.encode(REQUEST));
      c.send(FrameType.PING, 0, 0, new Uint8Array(8));
    }, ErrorCode.PROTOCOL_ERROR],
    [
      "an undecodable header block",
      (c) => c.send(FrameType.HEADERS, 5, 1, Uint8Array.of(0xff, 0xff)),
      ErrorCode.COMPRESSION_ERROR,
    ],
    [
      "PUSH_PROMISE",
      (c) => c.send(FrameType.PUSH_PROMISE, 4, 1, new Uint8Array(4)),
      ErrorCode.PROTOCOL_ERROR,
    ],
    [
      "SETTINGS of 5 octets",
      (c) => c.send(FrameType.SETTINGS, 0, 0, new Uint8Array(5)),
      ErrorCode.FRAME_SIZE_ERROR,
    ],
    [
      "SETTINGS ACK with a payload",
      (c) => c.send(FrameType.SETTINGS, 1, 0, new Uint8Array(6)),
      ErrorCode.FRAME_SIZE_ERROR,
    ],
    [
      "PING of 7 octets",
      (c) => c.send(FrameType.PING, 0, 0, new Uint8Array(7)),
      ErrorCode.FRAME_SIZE_ERROR,
    ],
    [
      "WINDOW_UPDATE of 0 on the connection",
      (c) => c.send(FrameType.WINDOW_UPDATE, 0, 0, uint32Bytes(0)),
      ErrorCode.PROTOCOL_ERROR,
    ],
    [
      "connection window overflow",
      (c) => c.send(FrameType.WINDOW_UPDATE, 0, 0, uint32Bytes(0x7fffffff)),
      ErrorCode.FLOW_CONTROL_ERROR,
    ],
    [
      "a frame above our maximum size",
      (c) => c.sendBytes(encodeFrame(FrameType.DATA, 0, 1, new Uint8Array((1 << 18) + 1))),
      ErrorCode.FRAME_SIZE_ERROR,
    ],
    [
      "RST_STREAM on stream 0",
      (c) => c.send(FrameType.RST_STREAM, 0, 0, uint32Bytes(8)),
      ErrorCode.PROTOCOL_ERROR,
    ],
    [
      "GOAWAY on a stream",
      (c) => c.send(FrameType.GOAWAY, 0, 1, new Uint8Array(8)),
      ErrorCode.PROTOCOL_ERROR,
    ],
  ];
  for (const [name, misbehave, code] of cases) {
    await t.step(name, async () => {
      const { conn, client } = serverAndClient();
      misbehave(client);
      await expectGoaway(client, conn, code);
    });
  }
});

Deno.test("H2Connection rejects a wrong preface and a first frame other than SETTINGS", async (t) => {
  await t.step("HTTP/1.1 instead of the preface", async () => {
    const [serverSocket, clientSocket] = socketPair();
    const conn = new H2Connection(serverSocket, "server");
    const client = new RawPeer(clientSocket, "client");
    client.sendBytes(new TextEncoder().encode("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    await expectGoaway(client, conn, ErrorCode.PROTOCOL_ERROR);
  });
  await t.step("PING before SETTINGS", async () => {
    const [serverSocket, clientSocket] = socketPair();
    const conn = new H2Connection(serverSocket, "server");
    const client = new RawPeer(clientSocket, "client");
    client.sendBytes(new TextEncoder().encode("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
    client.send(FrameType.PING, 0, 0, new Uint8Array(8));
    await expectGoaway(client, conn, ErrorCode.PROTOCOL_ERROR);
  });
});

Deno.test("H2Connection resets only the stream on stream errors and keeps serving", async () => {
  const { conn, client } = serverAndClient({ streamWindow: 1000 });
  client.headers(1, REQUEST);
  client.send(FrameType.WINDOW_UPDATE, 0, 1, uint32Bytes(0));
  const reset1 = await client.next((f) => f.type === FrameType.RST_STREAM && f.streamId === 1);
  assert.equal(codeName(errorCodeOf(reset1)), "PROTOCOL_ERROR");
  client.headers(3, REQUEST);
  client.send(FrameType.DATA, 0, 3, new Uint8Array(1001)); // above the stream window of 1000
  const reset3 = await client.next((f) => f.type === FrameType.RST_STREAM && f.streamId === 3);
  assert.equal(codeName(errorCodeOf(reset3)), "FLOW_CONTROL_ERROR");
  client.headers(5, REQUEST);
  client.send(FrameType.DATA, Flag.END_STREAM, 5, grpcMessage([5]));
  const data = await client.next((f) => f.type === FrameType.DATA && f.streamId === 5);
  assert.deepEqual([...data.payload], [...grpcMessage([5])]);
  assert.ok(!conn.isClosed);
  conn.destroy();
});

Deno.test("H2Connection respects the peer's window and frame size, and resumes on WINDOW_UPDATE", async () => {
  const { conn, client } = serverAndClient({}, [[Setting.INITIAL_WINDOW_SIZE, 1000]]);
  client.headers(1, [...REQUEST.slice(0, 2), [":path", "/t.Echo/Big"], ...REQUEST.slice(3)]);
  client.send(FrameType.DATA, Flag.END_STREAM, 1, grpcMessage([]));
  await client.next((f) => f.type === FrameType.DATA);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const sent = () =>
    client.frames.filter((f) => f.type === FrameType.DATA).reduce(
      (n, f) => n + f.payload.length,
      0,
    );
  assert.equal(sent(), 1000, "stops at the stream window");
  client.send(FrameType.WINDOW_UPDATE, 0, 1, uint32Bytes(200_000));
  client.send(FrameType.WINDOW_UPDATE, 0, 0, uint32Bytes(200_000));
  await client.next((f) => f.type === FrameType.HEADERS && (f.flags & Flag.END_STREAM) !== 0);
  assert.equal(sent(), 100_005);
  const sizes = client.frames.filter((f) => f.type === FrameType.DATA).map((f) => f.payload.length);
  assert.ok(Math.max(...sizes) <= 16_384, `frames of ${Math.max(...sizes)} octets`);
  conn.destroy();
});

Deno.test("H2Connection answers PING or sends GOAWAY after random frames, never throws", async () => {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let round = 0; round < 100; round++) {
    const { conn, client } = serverAndClient();
    // Well-delimited frames of random type, flags, stream and payload.
    for (let i = 0; i < 1 + Math.floor(random() * 4); i++) {
      const payload = Uint8Array.from({ length: Math.floor(random() * 40) }, () => random() * 256);
      const type = Math.floor(random() * 11);
      client.send(type, Math.floor(random() * 256), Math.floor(random() * 6), payload);
    }
    client.send(FrameType.PING, 0, 0, new Uint8Array(8));
    // Either the junk was acceptable and PING is answered, or the connection ended with GOAWAY.
    const answer = await client.next((f) =>
      f.type === FrameType.GOAWAY || (f.type === FrameType.PING && f.flags === Flag.ACK)
    );
    if (answer.type === FrameType.GOAWAY) await conn.closed;
    conn.destroy();
  }
});
