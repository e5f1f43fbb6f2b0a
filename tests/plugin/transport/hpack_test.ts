import assert from "node:assert/strict";
import {
  decodeInteger,
  encodeInteger,
  type HeaderField,
  HpackDecoder,
  HpackEncoder,
  HpackError,
} from "../../../src/plugin/transport/hpack.ts";

const hex = (s: string) =>
  Uint8Array.from(s.replace(/\s+/g, "").match(/../g)!, (h) => parseInt(h, 16));

interface Example {
  name: string;
  block: string;
  fields: HeaderField[];
  table: HeaderField[];
  size: number;
}

const REQ_1: HeaderField[] = [[":method", "GET"], [":scheme", "http"], [":path", "/"], [
  ":authority",
  "www.example.com",
]];
const REQ_2: HeaderField[] = [...REQ_1, ["cache-control", "no-cache"]];
const REQ_3: HeaderField[] = [[":method", "GET"], [":scheme", "https"], [":path", "/index.html"], [
  ":authority",
  "www.example.com",
], ["custom-key", "custom-value"]];
const T1: HeaderField[] = [[":authority", "www.example.com"]];
const T2: HeaderField[] = [["cache-control", "no-cache"], ...T1];
const T3: HeaderField[] = [["custom-key", "custom-value"], ...T2];

/** RFC 7541 C.3: requests without Huffman coding, one decoder (dynamic table carried over). */
const C3: Example[] = [
  {
    name: "C.3.1",
    block: "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
    fields: REQ_1,
    table: T1,
    size: 57,
  },
  {
    name: "C.3.2",
    block: "8286 84be 5808 6e6f 2d63 6163 6865",
    fields: REQ_2,
    table: T2,
    size: 110,
  },
  {
    name: "C.3.3",
    block: "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65",
    fields: REQ_3,
    table: T3,
    size: 164,
  },
];

/** RFC 7541 C.4: the same requests with Huffman coding. */
const C4: Example[] = [
  {
    name: "C.4.1",
    block: "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff",
    fields: REQ_1,
    table: T1,
    size: 57,
  },
  { name: "C.4.2", block: "8286 84be 5886 a8eb 1064 9cbf", fields: REQ_2, table: T2, size: 110 },
  {
    name: "C.4.3",
    block: "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf",
    fields: REQ_3,
    table: T3,
    size: 164,
  },
];

const DATE_21 = "Mon, 21 Oct 2013 20:13:21 GMT";
const DATE_22 = "Mon, 21 Oct 2013 20:13:22 GMT";
const LOCATION = "https://www.example.com";
const COOKIE = "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1";
const RESP_1: HeaderField[] = [
  [":status", "302"],
  ["cache-control", "private"],
  ["date", DATE_21],
  [
    "location",
    LOCATION,
  ],
];
const RESP_2: HeaderField[] = [[":status", "307"], ...RESP_1.slice(1)];
const RESP_3: HeaderField[] = [
  [":status", "200"],
  ["cache-control", "private"],
  ["date", DATE_22],
  [
    "location",
    LOCATION,
  ],
  ["content-encoding", "gzip"],
  ["set-cookie", COOKIE],
];
const RT1: HeaderField[] = [
  ["location", LOCATION],
  ["date", DATE_21],
  ["cache-control", "private"],
  [
    ":status",
    "302",
  ],
];
const RT2: HeaderField[] = [[":status", "307"], ...RT1.slice(0, 3)];
const RT3: HeaderField[] = [["set-cookie", COOKIE], ["content-encoding", "gzip"], [
  "date",
  DATE_22,
]];

/** RFC 7541 C.6: responses with Huffman coding and a 256-octet table, so entries are evicted. */
const C6: Example[] = [
  {
    name: "C.6.1",
    block: "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 " +
      "2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3",
    fields: RESP_1,
    table: RT1,
    size: 222,
  },
  { name: "C.6.2", block: "4883 640e ffc1 c0bf", fields: RESP_2, table: RT2, size: 222 },
  {
    name: "C.6.3",
    block: "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab " +
      "77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 " +
      "3160 65c0 03ed 4ee5 b106 3d50 07",
    fields: RESP_3,
    table: RT3,
    size: 215,
  },
];

async function decodeSequence(t: Deno.TestContext, examples: Example[], tableSize: number) {
  const decoder = new HpackDecoder(tableSize);
  for (const example of examples) {
    await t.step(example.name, () => {
      assert.deepEqual(decoder.decode(hex(example.block)), example.fields);
      assert.deepEqual(decoder.table.dynamicEntries(), example.table);
      assert.equal(decoder.table.size, example.size);
    });
  }
}

Deno.test("HpackDecoder decodes RFC 7541 C.3 requests without Huffman", async (t) => {
  await decodeSequence(t, C3, 4096);
});

Deno.test("HpackDecoder decodes RFC 7541 C.4 requests with Huffman", async (t) => {
  await decodeSequence(t, C4, 4096);
});

Deno.test("HpackDecoder decodes RFC 7541 C.6 responses with eviction", async (t) => {
  await decodeSequence(t, C6, 256);
});

Deno.test("HpackEncoder reproduces RFC 7541 C.4 and C.6.1-2 byte for byte", () => {
  const requests = new HpackEncoder();
  for (const example of C4) assert.deepEqual(requests.encode(example.fields), hex(example.block));
  const responses = new HpackEncoder(256);
  for (const example of C6.slice(0, 2)) {
    assert.deepEqual(responses.encode(example.fields), hex(example.block));
  }
  assert.deepEqual(responses.table.dynamicEntries(), RT2);
});

Deno.test("HpackEncoder output decodes back, and repeated blocks shrink to indexes", () => {
  const encoder = new HpackEncoder();
  const decoder = new HpackDecoder();
  const call: HeaderField[] = [
    [":method", "POST"],
    [":scheme", "https"],
    [":path", "/pb.Backend/HandleRequest"],
    [":authority", "localhost"],
    ["content-type", "application/grpc"],
    ["te", "trailers"],
    ["grpc-timeout", "89999m"],
    ["authorization", "Bearer secret"],
    ["x-meta", "värde ünïcode"],
  ];
  const first = encoder.encode(call);
  assert.deepEqual(decoder.decode(first), call);
  const second = encoder.encode(call);
  assert.deepEqual(decoder.decode(second), call);
  assert.ok(second.length < 40, `second block is ${second.length} bytes`);
  // Values that must not be indexed stay out of both tables.
  const names = decoder.table.dynamicEntries().map(([name]) => name);
  assert.ok(!names.includes("authorization") && !names.includes("grpc-timeout"));
  assert.deepEqual(decoder.table.dynamicEntries(), encoder.table.dynamicEntries());
});

Deno.test("HpackEncoder signals a smaller peer table, then the decoder follows", () => {
  const encoder = new HpackEncoder();
  const decoder = new HpackDecoder();
  decoder.decode(encoder.encode([["x-a", "1"], ["x-b", "2"]]));
  encoder.setPeerMaxTableSize(0);
  encoder.setPeerMaxTableSize(100);
  const block = encoder.encode([["x-c", "3"]]);
  assert.deepEqual(block.subarray(0, 3), Uint8Array.of(0x20, 0x3f, 0x45)); // size 0, then 100
  assert.deepEqual(decoder.decode(block), [["x-c", "3"]]);
  assert.equal(decoder.table.maxSize, 100);
  assert.deepEqual(decoder.table.dynamicEntries(), [["x-c", "3"]]);
});

Deno.test("decodeInteger and encodeInteger follow RFC 7541 C.1", () => {
  const out: number[] = [];
  encodeInteger(out, 10, 5, 0);
  encodeInteger(out, 1337, 5, 0);
  encodeInteger(out, 42, 8, 0);
  assert.deepEqual(out, [0x0a, 0x1f, 0x9a, 0x0a, 0x2a]);
  assert.deepEqual(decodeInteger(Uint8Array.from(out), 1, 5), [1337, 4]);
});

Deno.test("HpackDecoder rejects malformed blocks with HpackError", async (t) => {
  const cases: Array<[string, string, number?]> = [
    ["index 0", "80"],
    ["index beyond the tables", "be"],
    ["truncated integer", "ff"],
    ["integer overflow", "ff ff ff ff ff ff 0f"],
    ["truncated string", "40 05 61 62"],
    ["size update above our setting", "3f e2 1f"],
    ["size update after a field", "82 20"],
    ["bad Huffman padding", "40 81 00 00"],
    ["header list too large", "40 01 61 7f 80 01" + " 61".repeat(256), 200],
  ];
  for (const [name, block, limit] of cases) {
    await t.step(name, () => {
      const decoder = new HpackDecoder(4096, { maxListBytes: limit });
      assert.throws(() => decoder.decode(hex(block)), HpackError);
    });
  }
});
