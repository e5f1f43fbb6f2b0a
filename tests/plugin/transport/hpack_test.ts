import assert from "node:assert/strict";
import {
  HpackDecoder,
  hpackEncode,
  huffmanDecode,
  huffmanEncode,
} from "../../../src/plugin/transport/hpack.ts";

function hex(s: string): Uint8Array {
  const clean = s.replace(/\s+/g, "");
  return Uint8Array.from(clean.match(/../g)!.map((b) => parseInt(b, 16)));
}

Deno.test("HpackDecoder decodes RFC 7541 C.4 requests with Huffman and the dynamic table", () => {
  const decoder = new HpackDecoder();
  assert.deepEqual(decoder.decode(hex("8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff")), [
    [":method", "GET"],
    [":scheme", "http"],
    [":path", "/"],
    [":authority", "www.example.com"],
  ]);
  assert.deepEqual(decoder.decode(hex("8286 84be 5886 a8eb 1064 9cbf")), [
    [":method", "GET"],
    [":scheme", "http"],
    [":path", "/"],
    [":authority", "www.example.com"],
    ["cache-control", "no-cache"],
  ]);
  assert.deepEqual(
    decoder.decode(hex("8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf")),
    [
      [":method", "GET"],
      [":scheme", "https"],
      [":path", "/index.html"],
      [":authority", "www.example.com"],
      ["custom-key", "custom-value"],
    ],
  );
});

Deno.test("HpackDecoder decodes RFC 7541 C.3 requests without Huffman", () => {
  const decoder = new HpackDecoder();
  assert.deepEqual(decoder.decode(hex("8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d")), [
    [":method", "GET"],
    [":scheme", "http"],
    [":path", "/"],
    [":authority", "www.example.com"],
  ]);
  assert.deepEqual(decoder.decode(hex("8286 84be 5808 6e6f 2d63 6163 6865")).at(-1), [
    "cache-control",
    "no-cache",
  ]);
});

Deno.test("huffmanEncode round-trips every byte value and matches RFC 7541 C.4.1", () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  assert.deepEqual(huffmanDecode(huffmanEncode(all)), all);
  assert.deepEqual(
    huffmanEncode(new TextEncoder().encode("www.example.com")),
    hex("f1e3 c2e5 f23a 6ba0 ab90 f4ff"),
  );
});

Deno.test("huffmanDecode rejects padding that is not all ones", () => {
  assert.throws(() => huffmanDecode(Uint8Array.of(0x00)), { name: "HpackError" });
});

Deno.test("hpackEncode output decodes back to the same fields", () => {
  const fields: Array<[string, string]> = [
    [":status", "200"],
    ["content-type", "application/grpc"],
    ["grpc-status", "0"],
    ["multiplex_id", "x".repeat(300)],
  ];
  assert.deepEqual(new HpackDecoder().decode(hpackEncode(fields)), fields);
});

Deno.test("HpackDecoder rejects an index beyond both tables", () => {
  assert.throws(() => new HpackDecoder().decode(Uint8Array.of(0xff, 0x10)), { name: "HpackError" });
});
