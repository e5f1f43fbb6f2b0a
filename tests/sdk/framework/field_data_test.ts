import assert from "node:assert/strict";
import {
  defaultValue,
  fieldZodSchema,
  parseFieldData,
} from "../../../src/sdk/framework/field_data.ts";
import type { Fields } from "../../../src/sdk/framework/path.ts";
import { UserInputError } from "../../../src/sdk/errors.ts";

const FIELDS = {
  name: { type: "name", description: "Name" },
  ttl: { type: "duration", description: "TTL", default: "1h" },
  size: { type: "int", description: "Size", default: 3 },
  tags: { type: "comma_string_list", description: "Tags" },
  colour: { type: "string", description: "Colour", allowedValues: ["red", "blue"] },
  even: {
    type: "int",
    description: "An even number",
    validate: (v: number) => (v % 2 === 0 ? undefined : `${v} is odd`),
  },
  master_key: { type: "string", description: "Secret", sensitive: true },
  meta: { type: "map", description: "Metadata" },
} satisfies Fields;

Deno.test("parseFieldData returns parsed values, defaults and zero values", () => {
  const data = parseFieldData(FIELDS, { name: "dev", size: "0x10", tags: "a,b" });
  assert.equal(data.get("name"), "dev");
  assert.equal(data.get("size"), 16);
  assert.deepEqual(data.get("tags"), ["a", "b"]);
  assert.equal(data.get("ttl"), 3600, "a duration default goes through the parser");
  assert.equal(data.get("colour"), "", "no default: the zero value");
  assert.deepEqual(data.get("meta"), {});
  assert.equal(data.has("size"), true);
  assert.equal(data.has("ttl"), false);
});

Deno.test("parseFieldData keeps the raw data for handlers that need it", () => {
  const raw = { name: "dev", extra: 1 };
  assert.equal(parseFieldData(FIELDS, raw).raw, raw);
});

Deno.test("parseFieldData counts null as absent for durations and maps, as Go's GetOk", () => {
  const data = parseFieldData(FIELDS, { ttl: null, meta: null, size: null });
  assert.equal(data.has("ttl"), false);
  assert.equal(data.get("ttl"), 3600);
  assert.equal(data.has("meta"), false);
  assert.equal(data.has("size"), true, "null is an int's zero value, and present");
  assert.equal(data.get("size"), 0);
});

Deno.test("parseFieldData rejects a bad field with a UserInputError naming it", () => {
  assert.throws(() => parseFieldData(FIELDS, { ttl: "abc" }), (e: unknown) => {
    assert.ok(e instanceof UserInputError);
    assert.equal(e.field, "ttl");
    assert.match(e.message, /^Invalid field "ttl": cannot parse "abc" as a duration/);
    return true;
  });
});

Deno.test("parseFieldData checks allowedValues and validate after parsing", () => {
  assert.throws(
    () => parseFieldData(FIELDS, { colour: "green" }),
    { name: "UserInputError", message: 'Invalid field "colour": must be one of "red", "blue"' },
  );
  assert.throws(
    () => parseFieldData(FIELDS, { even: "3" }),
    { name: "UserInputError", message: 'Invalid field "even": 3 is odd' },
  );
  assert.equal(parseFieldData(FIELDS, { even: "4", colour: "red" }).get("even"), 4);
});

Deno.test("parseFieldData reports the first bad field in declaration order", () => {
  assert.throws(
    () => parseFieldData(FIELDS, { size: "x", name: "a/b" }),
    (e: UserInputError) => e.field === "name",
  );
});

Deno.test("parseFieldData never puts a sensitive value in its error", () => {
  assert.throws(() => parseFieldData(FIELDS, { master_key: ["sk-secret-1234"] }), (e: Error) => {
    assert.match(e.message, /^Invalid field "master_key": expected a string, got a list$/);
    return true;
  });
});

Deno.test("parseFieldData ignores fields that are not declared", () => {
  const data = parseFieldData(FIELDS, { bogus: { any: "thing" } });
  assert.equal(data.has("name"), false);
});

Deno.test("parseFieldData in lenient mode treats bad fields as absent", () => {
  const data = parseFieldData(FIELDS, { size: "big", name: "ok" }, { lenient: true });
  assert.equal(data.has("size"), false);
  assert.equal(data.get("size"), 3);
  assert.equal(data.get("name"), "ok");
});

Deno.test("FieldData.get refuses a field the path does not declare", () => {
  const data = parseFieldData(FIELDS as Fields, {});
  assert.throws(() => data.get("nope"), /field "nope" is not declared/);
  assert.throws(() => data.get("constructor"), /not declared/);
});

Deno.test("defaultValue refuses a default its type cannot parse", () => {
  assert.throws(
    () => defaultValue({ type: "duration", description: "x", default: "soon" }),
    /default "soon" is not a valid duration/,
  );
  assert.equal(defaultValue({ type: "bool", description: "x", default: "true" }), true);
});

Deno.test("fieldZodSchema compares allowed dates and lists by value", () => {
  const schema = fieldZodSchema({
    type: "time",
    description: "When",
    allowedValues: [new Date("2026-01-01T00:00:00Z")],
  });
  assert.equal(schema.safeParse("2026-01-01T00:00:00Z").success, true);
  assert.equal(schema.safeParse("2026-01-02T00:00:00Z").success, false);
});
