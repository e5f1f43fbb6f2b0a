import assert from "node:assert/strict";
import {
  CLIENT_PREFACE,
  encodeFrame,
  ErrorCode,
  Flag,
  framePayload,
  FrameReader,
  FrameType,
  H2Error,
  Setting,
} from "../../../src/plugin/transport/frames.ts";
import { encodeSettings, parseSettings } from "../../../src/plugin/transport/settings.ts";

Deno.test("encodeFrame writes the 9-octet header of RFC 9113 §4.1", () => {
  const frame = encodeFrame(FrameType.HEADERS, Flag.END_HEADERS, 0x80000003, Uint8Array.of(7, 8));
  // Length 2, type 1, flags 4, stream 3 with the reserved bit cleared, payload.
  assert.deepEqual([...frame], [0, 0, 2, 1, 4, 0, 0, 0, 3, 7, 8]);
});

Deno.test("FrameReader reassembles frames split at every byte and joined in one chunk", () => {
  const bytes = new Uint8Array([
    ...encodeFrame(FrameType.PING, 0, 0, new Uint8Array(8).fill(1)),
    ...encodeFrame(FrameType.DATA, Flag.END_STREAM, 5, Uint8Array.of(1, 2, 3)),
    ...encodeFrame(FrameType.SETTINGS, Flag.ACK, 0),
  ]);
  const bytewise = new FrameReader(16_384);
  const frames = [...bytes].flatMap((b) => bytewise.push(Uint8Array.of(b)));
  const whole = new FrameReader(16_384).push(bytes);
  for (const list of [frames, whole]) {
    assert.deepEqual(list.map((f) => [f.type, f.flags, f.streamId, [...f.payload]]), [
      [FrameType.PING, 0, 0, [1, 1, 1, 1, 1, 1, 1, 1]],
      [FrameType.DATA, Flag.END_STREAM, 5, [1, 2, 3]],
      [FrameType.SETTINGS, Flag.ACK, 0, []],
    ]);
  }
});

Deno.test("FrameReader checks the client preface and the frame size limit", () => {
  const withPreface = new FrameReader(16_384, { preface: true });
  const frames = withPreface.push(new Uint8Array([...CLIENT_PREFACE, ...encodeFrame(4, 0, 0)]));
  assert.equal(frames.length, 1);
  assert.throws(
    () =>
      new FrameReader(16_384, { preface: true }).push(new TextEncoder().encode("GET / HTTP/1.1")),
    (e: H2Error) => e.code === ErrorCode.PROTOCOL_ERROR,
  );
  const oversize = Uint8Array.of(0, 0x40, 0x01, 0, 0, 0, 0, 0, 1); // 16,385 octets announced
  assert.throws(
    () => new FrameReader(16_384).push(oversize),
    (e: H2Error) => e.code === ErrorCode.FRAME_SIZE_ERROR,
  );
});

Deno.test("framePayload strips padding and the priority block, and rejects bad padding", () => {
  const padded = {
    type: FrameType.DATA,
    flags: Flag.PADDED,
    streamId: 1,
    payload: Uint8Array.of(2, 9, 0, 0),
  };
  assert.deepEqual([...framePayload(padded)], [9]);
  const headers = {
    type: FrameType.HEADERS,
    flags: Flag.PADDED | Flag.PRIORITY,
    streamId: 1,
    payload: Uint8Array.of(1, 0, 0, 0, 0, 16, 0x82, 0),
  };
  assert.deepEqual([...framePayload(headers)], [0x82]);
  const tooMuch = { ...padded, payload: Uint8Array.of(5, 1) };
  assert.throws(() => framePayload(tooMuch), (e: H2Error) => e.code === ErrorCode.PROTOCOL_ERROR);
});

Deno.test("parseSettings validates values as RFC 9113 §6.5.2 requires", async (t) => {
  assert.deepEqual(parseSettings(encodeSettings([[Setting.MAX_FRAME_SIZE, 20_000], [0x99, 1]])), [
    [Setting.MAX_FRAME_SIZE, 20_000],
    [0x99, 1],
  ]);
  const cases: Array<[string, Uint8Array, number]> = [
    ["length not a multiple of 6", new Uint8Array(5), ErrorCode.FRAME_SIZE_ERROR],
    ["ENABLE_PUSH 2", encodeSettings([[Setting.ENABLE_PUSH, 2]]), ErrorCode.PROTOCOL_ERROR],
    [
      "window above 2^31-1",
      encodeSettings([[Setting.INITIAL_WINDOW_SIZE, 2 ** 31]]),
      ErrorCode.FLOW_CONTROL_ERROR,
    ],
    [
      "frame size below 16384",
      encodeSettings([[Setting.MAX_FRAME_SIZE, 100]]),
      ErrorCode.PROTOCOL_ERROR,
    ],
    [
      "frame size above 2^24-1",
      encodeSettings([[Setting.MAX_FRAME_SIZE, 2 ** 24]]),
      ErrorCode.PROTOCOL_ERROR,
    ],
  ];
  for (const [name, payload, code] of cases) {
    await t.step(name, () => {
      assert.throws(() => parseSettings(payload), (e: H2Error) => e.code === code);
    });
  }
});
