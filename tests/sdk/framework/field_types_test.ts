import assert from "node:assert/strict";
import {
  FIELD_TYPES,
  fieldSchema,
  type FieldType,
  helpTypeName,
  openApiSchema,
  zeroValue,
} from "../../../src/sdk/framework/field_types.ts";

type Case = [name: string, input: unknown, expected: unknown];
type Bad = [name: string, input: unknown];

const GOOD: Record<FieldType, Case[]> = {
  string: [["string", "abc", "abc"], ["number", 3600, "3600"], ["float", 1.5, "1.5"], [
    "bool as Go does",
    true,
    "1",
  ], ["null", null, ""]],
  lowercase_string: [["lowers", "AbC", "abc"]],
  name: [["simple", "dev", "dev"], ["dots and dashes", "a.b-c_d", "a.b-c_d"], [
    "one char",
    "x",
    "x",
  ]],
  int: [
    ["number", 42, 42],
    ["truncates", 4.9, 4],
    ["string", "17", 17],
    ["hex", "0x1f", 31],
    ["octal", "010", 8],
    ["binary", "0b101", 5],
    ["empty", "", 0],
    ["bool", true, 1],
  ],
  bool: [["bool", false, false], ["1", "1", true], ["TRUE", "TRUE", true], ["f", "f", false], [
    "number",
    2,
    true,
  ], ["empty", "", false]],
  float: [["number", 1.25, 1.25], ["string", "2.5", 2.5], ["empty", "", 0]],
  duration: [
    ["seconds", 3600, 3600],
    ["seconds string", "3600", 3600],
    ["hours", "1h", 3600],
    ["minutes", "90m", 5400],
    ["mixed", "1h30m", 5400],
    ["fraction", "1.5h", 5400],
    ["days", "2d", 172800],
    ["ms truncated", "1500ms", 1],
    ["zero", "0", 0],
    ["empty", "", 0],
  ],
  signed_duration: [["negative", "-1h", -3600], ["positive", 60, 60]],
  comma_string_list: [["splits", "a, b,c", ["a", "b", "c"]], ["list", [" a ", "b"], ["a", "b"]], [
    "empty",
    "",
    [],
  ], ["number", 5, ["5"]]],
  string_list: [["no split", "a,b", ["a,b"]], ["list", ["x", 1], ["x", "1"]]],
  kv_pairs: [["object", { a: "1", b: 2 }, { a: "1", b: "2" }], ["list", ["a=1", "b=x=y"], {
    a: "1",
    b: "x=y",
  }], ["single", "k=v", { k: "v" }]],
  map: [["object", { a: { b: 1 } }, { a: { b: 1 } }], ["empty list", [], {}]],
  time: [["rfc3339", "2026-01-02T03:04:05Z", new Date("2026-01-02T03:04:05Z")], [
    "epoch",
    "1700000000",
    new Date(1700000000000),
  ]],
};

const BAD: Record<FieldType, Bad[]> = {
  string: [["list", ["a"]], ["object", { a: 1 }]],
  lowercase_string: [["object", {}]],
  name: [["slash", "a/b"], ["leading dash", "-a"], ["empty", ""]],
  int: [["words", "ten"], ["out of range", 1e300], ["spaces", " 1"], ["float string", "1.5"], [
    "object",
    {},
  ]],
  bool: [["word", "yes"], ["list", []]],
  float: [["words", "abc"], ["object", {}]],
  duration: [["words", "abc"], ["negative", "-5s"], ["unitless fraction", "1.5"], [
    "fraction days",
    "1.5d",
  ], ["list", []]],
  signed_duration: [["words", "soon"]],
  comma_string_list: [["object", { a: 1 }], ["nested", [{ a: 1 }]]],
  string_list: [["bool", true]],
  kv_pairs: [["no equals", ["abc"]], ["empty key", ["=v"]], ["number", 5]],
  map: [["string", "abc"], ["list", [1]]],
  time: [["words", "yesterday"], ["number", 1700000000]],
};

for (const type of FIELD_TYPES) {
  Deno.test(`fieldSchema("${type}") parses what Vault's framework accepts and refuses the rest`, async (t) => {
    assert.ok(GOOD[type].length > 0 && BAD[type].length > 0, `cases missing for ${type}`);
    for (const [name, input, expected] of GOOD[type]) {
      await t.step(`accepts ${name}`, () => {
        const result = fieldSchema(type).safeParse(input);
        assert.ok(result.success, `rejected ${JSON.stringify(input)}`);
        assert.deepEqual(result.data, expected);
      });
    }
    for (const [name, input] of BAD[type]) {
      await t.step(`rejects ${name}`, () => {
        const result = fieldSchema(type).safeParse(input);
        assert.equal(result.success, false, `accepted ${JSON.stringify(input)}`);
        assert.ok(result.error!.issues[0].message.length > 0);
      });
    }
  });

  Deno.test(`field type "${type}" has a zero value, a help name and an OpenAPI schema`, () => {
    assert.notEqual(zeroValue(type), undefined);
    assert.ok(helpTypeName(type).length > 0);
    assert.equal(typeof openApiSchema(type).type, "string");
  });
}
