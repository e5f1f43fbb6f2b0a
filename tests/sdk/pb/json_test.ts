import assert from "node:assert/strict";
import { parseJsonObject, stringifyJson } from "../../../src/sdk/pb/json.ts";

Deno.test("parseJsonObject maps null, empty text and non-objects to {}", async (t) => {
  for (const text of ["null", "", "[1,2]", '"text"', "42"]) {
    await t.step(JSON.stringify(text), () => assert.deepEqual(parseJsonObject(text), {}));
  }
});

Deno.test("parseJsonObject keeps integers beyond 2^53 as exact strings, nested too", () => {
  assert.deepEqual(
    parseJsonObject(
      '{"big":9007199254740993,"neg":-18446744073709551617,"safe":9007199254740991,' +
        '"float":1.5,"exp":1e30,"list":[12345678901234567890],"obj":{"n":99999999999999999}}',
    ),
    {
      big: "9007199254740993",
      neg: "-18446744073709551617",
      safe: 9007199254740991,
      float: 1.5,
      exp: 1e30, // not an integer literal: stays a number
      list: ["12345678901234567890"],
      obj: { n: "99999999999999999" },
    },
  );
});

Deno.test("parseJsonObject throws on text that is not JSON", () => {
  assert.throws(() => parseJsonObject("{nope"), SyntaxError);
});

Deno.test("stringifyJson writes null for undefined and bigint as an exact number", () => {
  assert.equal(stringifyJson(undefined), "null");
  assert.equal(stringifyJson(null), "null");
  assert.equal(stringifyJson({ ttl: 2n ** 64n, a: [1n] }), '{"ttl":18446744073709551616,"a":[1]}');
  const circular: Record<string, unknown> = {};
  circular.self = circular;
  assert.throws(() => stringifyJson(circular), TypeError);
});
