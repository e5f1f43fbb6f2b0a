import assert from "node:assert/strict";
import {
  bitString,
  boolean,
  explicit,
  implicitIa5,
  integer,
  oid,
  sequence,
  time,
  tlv,
  utf8,
} from "../../src/plugin/_der.ts";

const hex = (bytes: Uint8Array) =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

Deno.test("tlv uses the short length form below 128 and the long form above", async (t) => {
  const cases: [string, number, string][] = [
    ["empty", 0, "0400"],
    ["127 bytes", 127, "047f"],
    ["128 bytes", 128, "048180"],
    ["255 bytes", 255, "0481ff"],
    ["256 bytes", 256, "04820100"],
    ["70000 bytes", 70000, "0483011170"],
  ];
  for (const [name, length, header] of cases) {
    await t.step(name, () => {
      const out = tlv(0x04, new Uint8Array(length));
      assert.equal(hex(out.subarray(0, header.length / 2)), header);
      assert.equal(out.length, header.length / 2 + length);
    });
  }
});

Deno.test("tlv concatenates several content parts", () => {
  assert.equal(hex(tlv(0x30, Uint8Array.of(1, 2), Uint8Array.of(3))), "3003010203");
});

Deno.test("integer is minimal two's complement of unsigned bytes", async (t) => {
  const cases: [string, number[], string][] = [
    ["zero", [0], "020100"],
    ["no bytes", [], "020100"],
    ["leading zeros stripped", [0, 0, 5], "020105"],
    ["top bit set gets a zero byte", [0x80], "02020080"],
    ["top bit set after stripping", [0, 0xff, 1], "020300ff01"],
    ["small positive", [0x7f, 0xff], "02027fff"],
  ];
  for (const [name, bytes, expected] of cases) {
    await t.step(name, () => assert.equal(hex(integer(Uint8Array.from(bytes))), expected));
  }
});

Deno.test("oid encodes arcs in base 128", async (t) => {
  const cases: [string, string][] = [
    ["2.5.29.17", "0603551d11"],
    ["1.2.840.10045.4.3.2", "06082a8648ce3d040302"],
    ["1.3.6.1.5.5.7.3.1", "06082b06010505070301"],
    // The first subidentifier (2 * 40 + 999 = 1079) needs two bytes too.
    ["2.999.3", "0603883703"],
  ];
  for (const [dotted, expected] of cases) {
    await t.step(dotted, () => assert.equal(hex(oid(dotted)), expected));
  }
});

Deno.test("oid rejects text that is not an object identifier", () => {
  for (const bad of ["1", "", "1.x.3", "3.1", "1.-2"]) {
    assert.throws(() => oid(bad), /Cannot encode object identifier/, bad);
  }
});

Deno.test("time is UTCTime before 2050 and GeneralizedTime from 2050", () => {
  assert.equal(
    new TextDecoder().decode(time(new Date("2049-12-31T23:59:59.900Z")).subarray(2)),
    "491231235959Z",
  );
  assert.equal(time(new Date("2049-12-31T23:59:59Z"))[0], 0x17);
  const late = time(new Date("2056-03-04T05:06:07Z"));
  assert.equal(late[0], 0x18);
  assert.equal(new TextDecoder().decode(late.subarray(2)), "20560304050607Z");
});

Deno.test("small types have their X.690 encodings", () => {
  assert.equal(hex(boolean(true)), "0101ff");
  assert.equal(hex(boolean(false)), "010100");
  assert.equal(hex(bitString(Uint8Array.of(0xa4), 2)), "030202a4");
  assert.equal(hex(utf8("é")), "0c02c3a9");
  assert.equal(hex(implicitIa5(2, "ab")), "82026162");
  assert.equal(hex(explicit(3, sequence())), "a3023000");
});
