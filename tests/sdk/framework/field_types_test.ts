import assert from "node:assert/strict";
import {
  FIELD_TYPES,
  fieldSchema,
  type FieldType,
  parseFieldValue,
  zeroValue,
} from "../../../src/sdk/framework/field_types.ts";
import { helpTypeName } from "../../../src/sdk/framework/help.ts";
import { openApiSchema } from "../../../src/sdk/framework/openapi.ts";

type Good = [name: string, input: unknown, expected: unknown];
type Bad = [name: string, input: unknown, reason: RegExp];

// Typed as Record<FieldType, ...>: a type added to FIELD_TYPES without cases fails to compile.
const GOOD: Record<FieldType, Good[]> = {
  string: [
    ["string", "abc", "abc"],
    ["integer as decimal text", 3600, "3600"],
    ["float as decimal text", 1.5, "1.5"],
    ["big integer without exponent", 1e21, "1000000000000000000000"],
    ["true as Go's 1", true, "1"],
    ["false as Go's 0", false, "0"],
    ["null as empty", null, ""],
  ],
  lowercase_string: [["lowers", "AbC", "abc"], ["number", 12, "12"]],
  name: [
    ["simple", "dev", "dev"],
    ["dots, dashes and underscores", "a.b-c_d", "a.b-c_d"],
    ["one char", "x", "x"],
    ["number", 7, "7"],
  ],
  int: [
    ["number", 42, 42],
    ["truncates toward zero", 4.9, 4],
    ["negative truncates toward zero", -4.9, -4],
    ["string", "17", 17],
    ["signed string", "-17", -17],
    ["hex", "0x1f", 31],
    ["octal prefix", "0o17", 15],
    ["leading zero is octal", "010", 8],
    ["binary", "0b101", 5],
    ["underscores after a prefix", "0x_1F", 31],
    ["empty", "", 0],
    ["null", null, 0],
    ["true", true, 1],
  ],
  bool: [
    ["bool", false, false],
    ["1", "1", true],
    ["t", "t", true],
    ["TRUE", "TRUE", true],
    ["True", "True", true],
    ["f", "f", false],
    ["False", "False", false],
    ["nonzero number", 2, true],
    ["zero", 0, false],
    ["empty", "", false],
    ["null", null, false],
  ],
  float: [
    ["number", 1.25, 1.25],
    ["string", "2.5", 2.5],
    ["exponent", "1e3", 1000],
    ["empty", "", 0],
    ["true", true, 1],
  ],
  duration: [
    ["seconds", 3600, 3600],
    ["float seconds truncated", 90.9, 90],
    ["seconds string", "3600", 3600],
    ["signed seconds string", "+60", 60],
    ["hours", "1h", 3600],
    ["minutes", "90m", 5400],
    ["mixed", "1h30m", 5400],
    ["fraction of an hour", "1.5h", 5400],
    ["days", "2d", 172800],
    ["milliseconds truncated", "1500ms", 1],
    ["microseconds", "2000000us", 2],
    ["bare zero", "0", 0],
    ["empty", "", 0],
    ["null is absent", null, undefined],
  ],
  signed_duration: [["negative", "-1h", -3600], ["positive", 60, 60], [
    "negative days",
    "-1d",
    -86400,
  ]],
  comma_string_list: [
    ["splits and trims", "a, b,c", ["a", "b", "c"]],
    ["keeps empty elements", "a,,b", ["a", "", "b"]],
    ["list trimmed", [" a ", "b"], ["a", "b"]],
    ["list of numbers", [1, 2.5], ["1", "2.5"]],
    ["empty", "", []],
    ["null", null, []],
    ["number", 5, ["5"]],
    ["bool", true, ["1"]],
    ["empty object", {}, []],
  ],
  string_list: [
    ["no comma split", "a,b", ["a,b"]],
    ["list", ["x", 1], ["x", "1"]],
    ["single string trimmed", " a ", ["a"]],
    ["empty", "", []],
    ["bool", true, ["1"]],
  ],
  kv_pairs: [
    ["object", { a: "1", b: 2, c: true }, { a: "1", b: "2", c: "1" }],
    ["list", ["a=1", "b=x=y"], { a: "1", b: "x=y" }],
    ["single string", "k=v", { k: "v" }],
    ["empty value", ["k="], { k: "" }],
    ["list of objects merged", [{ a: "1" }, { b: "2" }], { a: "1", b: "2" }],
    ["null is absent", null, undefined],
  ],
  map: [
    ["object", { a: { b: 1 } }, { a: { b: 1 } }],
    ["empty list", [], {}],
    ["list of objects merged", [{ a: 1 }, { b: 2 }], { a: 1, b: 2 }],
    ["null is absent", null, undefined],
  ],
  time: [
    ["RFC 3339", "2026-01-02T03:04:05Z", new Date("2026-01-02T03:04:05Z")],
    ["RFC 3339 with offset", "2026-01-02T05:04:05+02:00", new Date("2026-01-02T03:04:05Z")],
    ["fractional seconds", "2026-01-02T03:04:05.250Z", new Date("2026-01-02T03:04:05.250Z")],
    ["epoch seconds", "1700000000", new Date(1700000000000)],
    ["null is absent", null, undefined],
  ],
};

const BAD: Record<FieldType, Bad[]> = {
  string: [["list", ["a"], /expected a string, got a list/], [
    "object",
    { a: 1 },
    /expected a string, got an object/,
  ]],
  lowercase_string: [["object", {}, /expected a string/]],
  name: [
    ["slash", "a/b", /"a\/b" does not match the formatting rules/],
    ["leading dash", "-a", /formatting rules/],
    ["trailing dot", "a.", /formatting rules/],
    ["empty", "", /formatting rules/],
  ],
  int: [
    ["words", "ten", /expected an integer, got "ten"/],
    ["out of range", 1e300, /out of range/],
    ["beyond 2^53", "9007199254740993", /out of range/],
    ["spaces", " 1", /expected an integer/],
    ["float string", "1.5", /expected an integer/],
    ["double underscore", "0x1__f", /expected an integer/],
    ["object", {}, /expected an integer, got an object/],
  ],
  bool: [["word", "yes", /expected a boolean, got "yes"/], ["list", [], /got a list/]],
  float: [["words", "abc", /expected a number/], ["infinity", "inf", /expected a number/], [
    "object",
    {},
    /expected a number/,
  ]],
  duration: [
    ["words", "abc", /cannot parse "abc" as a duration/],
    ["negative", "-5s", /cannot provide negative value/],
    ["negative seconds", -5, /cannot provide negative value/],
    ["unitless fraction", "1.5", /cannot parse/],
    ["fractional days", "1.5d", /cannot parse/],
    ["spaces are not trimmed", " 1h", /cannot parse/],
    ["unknown unit", "1w", /cannot parse/],
    ["beyond Go's range", "300000y", /cannot parse/],
    ["beyond Go's range in seconds", 1e10, /out of range/],
    ["list", [], /expected a duration, got a list/],
  ],
  signed_duration: [["words", "soon", /cannot parse "soon"/], [
    "bool",
    true,
    /expected a duration/,
  ]],
  comma_string_list: [["object", { a: 1 }, /expected a list/], [
    "nested",
    [{ a: 1 }],
    /list items must be strings/,
  ]],
  string_list: [["nested list", [["a"]], /list items must be strings/]],
  kv_pairs: [
    ["no equals", ["abc"], /invalid key pair "abc"/],
    ["empty key", ["=v"], /invalid key pair/],
    ["number", 5, /expected key=value pairs/],
    ["nested value", { a: { b: 1 } }, /value of "a" must be a string/],
  ],
  map: [["string", "abc", /expected an object, got a string/], [
    "list of scalars",
    [1],
    /expected an object/,
  ]],
  time: [
    ["words", "yesterday", /RFC 3339 time or epoch seconds, got "yesterday"/],
    ["JSON number, as Go plugins refuse", 1700000000, /RFC 3339/],
    ["date only", "2026-01-02", /RFC 3339/],
  ],
};

for (const type of FIELD_TYPES) {
  Deno.test(`fieldSchema("${type}") parses what Vault's framework accepts`, async (t) => {
    assert.ok(GOOD[type].length > 0, `no accepted cases for ${type}`);
    for (const [name, input, expected] of GOOD[type]) {
      await t.step(name, () => {
        const result = fieldSchema(type).safeParse(input);
        assert.ok(result.success, `rejected ${JSON.stringify(input)}: ${result.error?.message}`);
        assert.deepEqual(result.data, expected);
      });
    }
  });

  Deno.test(`fieldSchema("${type}") refuses the rest with a reason`, async (t) => {
    assert.ok(BAD[type].length > 0, `no refused cases for ${type}`);
    for (const [name, input, reason] of BAD[type]) {
      await t.step(name, () => {
        const result = fieldSchema(type).safeParse(input);
        assert.equal(result.success, false, `accepted ${JSON.stringify(input)}`);
        assert.match(result.error!.issues[0].message, reason);
      });
    }
  });

  Deno.test(`field type "${type}" has a zero value, a help name and an OpenAPI schema`, () => {
    const zero = zeroValue(type);
    assert.notEqual(zero, undefined);
    // The zero value is itself a value of the type: it parses back to itself where it can.
    if (!(zero instanceof Date) && type !== "name") {
      assert.deepEqual(fieldSchema(type).parse(zero), zero);
    }
    assert.match(helpTypeName(type), /^[a-z][a-z ()]+$/);
    assert.ok(
      ["string", "integer", "number", "boolean", "array", "object"].includes(
        openApiSchema(type).type as string,
      ),
    );
  });
}

Deno.test("parseFieldValue never echoes a sensitive value in its reason", () => {
  const secret = "sk-very-secret-0123456789";
  for (const type of FIELD_TYPES) {
    for (const input of [secret, [secret], { [secret]: [secret] }, [`${secret}`, 1, {}]]) {
      const parsed = parseFieldValue(type, input, { sensitive: true });
      if ("error" in parsed) assert.ok(!parsed.error.includes("sk-very"), parsed.error);
    }
  }
  const echoed = parseFieldValue("duration", "sk-very", {});
  assert.ok("error" in echoed && echoed.error.includes('"sk-very"'));
});

Deno.test("parseFieldValue names an unknown type as a programming error", () => {
  assert.throws(() => parseFieldValue("nope" as FieldType, "x"), /unknown field type nope/);
  assert.throws(() => zeroValue("nope" as FieldType), /unknown field type nope/);
  assert.throws(() => helpTypeName("nope" as FieldType), /unknown field type nope/);
  assert.throws(() => openApiSchema("nope" as FieldType), /unknown field type nope/);
});
