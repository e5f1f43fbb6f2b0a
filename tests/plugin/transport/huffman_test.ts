import assert from "node:assert/strict";
import {
  huffmanDecode,
  huffmanEncode,
  huffmanEncodedLength,
  HuffmanError,
} from "../../../src/plugin/transport/huffman.ts";
import { HUFFMAN_EOS, HUFFMAN_TABLE } from "../../../src/plugin/transport/huffman_table.ts";

const ascii = (s: string) => new TextEncoder().encode(s);
const hex = (s: string) =>
  Uint8Array.from(s.replace(/\s+/g, "").match(/../g)!, (h) => parseInt(h, 16));

// Strings and their Huffman encodings from RFC 7541 Appendix C.4 and C.6.
const RFC_STRINGS: Array<[string, string]> = [
  ["www.example.com", "f1e3 c2e5 f23a 6ba0 ab90 f4ff"],
  ["no-cache", "a8eb 1064 9cbf"],
  ["custom-key", "25a8 49e9 5ba9 7d7f"],
  ["custom-value", "25a8 49e9 5bb8 e8b4 bf"],
  ["302", "6402"],
  ["307", "640e ff"],
  ["private", "aec3 771a 4b"],
  ["Mon, 21 Oct 2013 20:13:21 GMT", "d07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff"],
  ["https://www.example.com", "9d29 ad17 1863 c78f 0b97 c8e9 ae82 ae43 d3"],
  ["gzip", "9bd9 ab"],
];

Deno.test("HUFFMAN_TABLE is a complete canonical prefix code of 257 symbols", () => {
  assert.equal(HUFFMAN_TABLE.length, 257);
  // Kraft sum exactly 1: no code is a prefix of another and none is missing.
  const kraft = HUFFMAN_TABLE.reduce((sum, [, bits]) => sum + 2 ** (30 - bits), 0);
  assert.equal(kraft, 2 ** 30);
  // Canonical: ordered by (length, symbol), each code is the previous one plus one, shifted.
  const order = HUFFMAN_TABLE.map((_, symbol) => symbol)
    .sort((a, b) => HUFFMAN_TABLE[a][1] - HUFFMAN_TABLE[b][1] || a - b);
  let code = -1;
  let bits = HUFFMAN_TABLE[order[0]][1];
  for (const symbol of order) {
    code = (code + 1) * 2 ** (HUFFMAN_TABLE[symbol][1] - bits);
    bits = HUFFMAN_TABLE[symbol][1];
    assert.equal(HUFFMAN_TABLE[symbol][0], code, `symbol ${symbol}`);
  }
  assert.deepEqual(HUFFMAN_TABLE[HUFFMAN_EOS], [0x3fffffff, 30]);
});

Deno.test("huffmanEncode and huffmanDecode match the RFC 7541 examples", async (t) => {
  for (const [plain, coded] of RFC_STRINGS) {
    await t.step(plain, () => {
      assert.deepEqual(huffmanEncode(ascii(plain)), hex(coded));
      assert.equal(huffmanEncodedLength(ascii(plain)), hex(coded).length);
      assert.equal(new TextDecoder().decode(huffmanDecode(hex(coded))), plain);
    });
  }
});

Deno.test("huffmanDecode round-trips every byte value", () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  assert.deepEqual(huffmanDecode(huffmanEncode(all)), all);
  assert.deepEqual(huffmanDecode(new Uint8Array(0)), new Uint8Array(0));
});

Deno.test("huffmanDecode rejects EOS, long padding and padding that is not ones", async (t) => {
  await t.step("EOS inside the string", () => {
    // 30 one-bits (EOS) then two padding ones.
    assert.throws(() => huffmanDecode(hex("ffff ffff")), HuffmanError);
  });
  await t.step("padding of 8 bits", () => {
    assert.throws(() => huffmanDecode(hex("1f ff")), /longer than 7 bits/); // 'a'(00011) + 11 ones
  });
  await t.step("padding with a zero bit", () => {
    assert.throws(() => huffmanDecode(hex("18")), /not a prefix of EOS/); // 'a' + 000
  });
});
