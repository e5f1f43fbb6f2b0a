/**
 * Field types: how each parses request data (Vault's weak typing, sdk/framework/field_data.go,
 * as zod schemas) and its zero value. Help names and OpenAPI schemas live in help.ts and
 * openapi.ts. The set is closed: every switch over it ends in a `never` check, and tests visit
 * every member, so a new type cannot be half handled.
 *
 * @module
 */
import { z } from "zod";
import { parseDurationSeconds } from "./_duration.ts";
import {
  type Parsed,
  parseGoBool,
  parseGoFloat,
  parseGoInt,
  parseGoTime,
  shown,
  weakString,
} from "./_weak.ts";

/** Every field type. */
export const FIELD_TYPES = [
  "string",
  "lowercase_string",
  "name",
  "int",
  "bool",
  "float",
  "duration",
  "signed_duration",
  "comma_string_list",
  "string_list",
  "kv_pairs",
  "map",
  "time",
] as const;

/** A field type. */
export type FieldType = typeof FIELD_TYPES[number];

/**
 * The TypeScript value a field type parses into: durations are whole seconds, `time` a Date,
 * `kv_pairs` string values, `map` any JSON object.
 */
export type FieldValue<T extends FieldType> = T extends
  "int" | "float" | "duration" | "signed_duration" ? number
  : T extends "bool" ? boolean
  : T extends "comma_string_list" | "string_list" ? string[]
  : T extends "kv_pairs" ? Record<string, string>
  : T extends "map" ? Record<string, unknown>
  : T extends "time" ? Date
  : string;

/** Options of fieldSchema. */
export interface FieldSchemaOptions {
  /** The field is sensitive: error messages name the input's type, never its value. */
  sensitive?: boolean;
}

const NAME_PATTERN = /^\w(([\w\-.]+)?\w)?$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fail(message: string): { error: string } {
  return { error: message };
}

function parseString(input: unknown): Parsed<string> {
  const text = weakString(input);
  if (text === undefined) return fail(`expected a string, got ${shown(input, false)}`);
  return { value: text };
}

function parseName(input: unknown, echo: boolean): Parsed<string> {
  const parsed = parseString(input);
  if ("error" in parsed || NAME_PATTERN.test(parsed.value)) return parsed;
  return fail(
    `${shown(parsed.value, echo)} does not match the formatting rules (letters, digits, ` +
      `"_", "-" and ".", starting and ending with a letter, digit or "_")`,
  );
}

function parseInt64(input: unknown, echo: boolean): Parsed<number> {
  let value: number | undefined;
  if (typeof input === "number") value = Number.isFinite(input) ? Math.trunc(input) : undefined;
  else if (typeof input === "boolean") value = input ? 1 : 0;
  else if (input === null || input === "") value = 0;
  else if (typeof input === "string") value = parseGoInt(input);
  if (value === undefined) return fail(`expected an integer, got ${shown(input, echo)}`);
  if (!Number.isSafeInteger(value)) {
    return fail(`${echo ? String(input) : "value"} is out of range (integers up to 2^53)`);
  }
  return { value: value === 0 ? 0 : value };
}

function parseFloat64(input: unknown, echo: boolean): Parsed<number> {
  let value: number | undefined;
  if (typeof input === "number") value = Number.isFinite(input) ? input : undefined;
  else if (typeof input === "boolean") value = input ? 1 : 0;
  else if (input === null || input === "") value = 0;
  else if (typeof input === "string") value = parseGoFloat(input);
  return value === undefined ? fail(`expected a number, got ${shown(input, echo)}`) : { value };
}

function parseBool(input: unknown, echo: boolean): Parsed<boolean> {
  let value: boolean | undefined;
  if (typeof input === "boolean") value = input;
  else if (typeof input === "number") value = input !== 0;
  else if (input === null || input === "") value = false;
  else if (typeof input === "string") value = parseGoBool(input);
  return value === undefined ? fail(`expected a boolean, got ${shown(input, echo)}`) : { value };
}

function parseList(input: unknown, splitCommas: boolean): Parsed<string[]> {
  if (input === null || input === "" || (isObject(input) && Object.keys(input).length === 0)) {
    return { value: [] };
  }
  if (typeof input === "string" && splitCommas) {
    return { value: input.split(",").map((s) => s.trim()) };
  }
  const items = Array.isArray(input) ? input : isObject(input) ? undefined : [input];
  if (!items) return fail(`expected a list of strings, got ${shown(input, false)}`);
  const out: string[] = [];
  for (const item of items) {
    const text = item === null ? undefined : weakString(item);
    if (text === undefined) return fail(`list items must be strings, got ${shown(item, false)}`);
    out.push(text.trim());
  }
  return { value: out };
}

function parseKvPairs(input: unknown, echo: boolean): Parsed<Record<string, string>> {
  const objects = Array.isArray(input) && input.length > 0 && input.every(isObject)
    ? input
    : isObject(input)
    ? [input]
    : undefined;
  const out: Record<string, string> = {};
  if (objects) {
    for (const [key, item] of objects.flatMap((o) => Object.entries(o))) {
      const text = weakString(item);
      if (text === undefined) {
        return fail(`value of ${echo ? JSON.stringify(key) : "an entry"} must be a string`);
      }
      out[key] = text;
    }
    return { value: out };
  }
  const list = Array.isArray(input) ? input : typeof input === "string" ? [input] : undefined;
  if (!list) return fail(`expected key=value pairs, got ${shown(input, false)}`);
  for (const item of list) {
    const text = weakString(item) ?? "";
    const eq = text.indexOf("=");
    if (eq <= 0) return fail(`invalid key pair ${shown(item, echo)}: expected key=value`);
    out[text.slice(0, eq)] = text.slice(eq + 1);
  }
  return { value: out };
}

function parseMap(input: unknown): Parsed<Record<string, unknown>> {
  if (isObject(input)) return { value: input };
  if (Array.isArray(input) && input.every(isObject)) {
    return { value: Object.assign({}, ...input) };
  }
  return fail(`expected an object, got ${shown(input, false)}`);
}

function parseTime(input: unknown, echo: boolean): Parsed<Date> {
  const date = typeof input === "string" ? parseGoTime(input) : undefined;
  if (date) return { value: date };
  return fail(`expected an RFC 3339 time or epoch seconds, got ${shown(input, echo)}`);
}

/**
 * Parses one value of a field type. `{ value: undefined }` means "absent": a JSON null for the
 * types where Go's GetOk reports the field as not set.
 */
export function parseFieldValue(
  type: FieldType,
  input: unknown,
  options: FieldSchemaOptions = {},
): Parsed<unknown> {
  const echo = !options.sensitive;
  switch (type) {
    case "string":
      return parseString(input);
    case "lowercase_string": {
      const parsed = parseString(input);
      return "error" in parsed ? parsed : { value: parsed.value.toLowerCase() };
    }
    case "name":
      return parseName(input, echo);
    case "int":
      return parseInt64(input, echo);
    case "float":
      return parseFloat64(input, echo);
    case "bool":
      return parseBool(input, echo);
    case "duration":
    case "signed_duration": {
      if (input === null) return { value: undefined };
      const parsed = parseDurationSeconds(input, echo);
      if (type === "duration" && "value" in parsed && parsed.value < 0) {
        return fail("cannot provide negative value");
      }
      return parsed;
    }
    case "comma_string_list":
      return parseList(input, true);
    case "string_list":
      return parseList(input, false);
    case "kv_pairs":
      return input === null ? { value: undefined } : parseKvPairs(input, echo);
    case "map":
      return input === null ? { value: undefined } : parseMap(input);
    case "time":
      return input === null ? { value: undefined } : parseTime(input, echo);
    default: {
      const unreachable: never = type;
      throw new Error(`unknown field type ${unreachable}`);
    }
  }
}

/**
 * The zod schema that parses (and weakly converts) one field type's input; its issues carry
 * the reason a value is refused. The output `undefined` means "absent" (see parseFieldValue).
 *
 * @example
 * ```ts
 * import { fieldSchema } from "./field_types.ts";
 * fieldSchema("duration").parse("1h30m"); // 5400
 * ```
 */
export function fieldSchema(
  type: FieldType,
  options: FieldSchemaOptions = {},
): z.ZodType<unknown> {
  return z.unknown().transform((input, ctx) => {
    const parsed = parseFieldValue(type, input, options);
    if ("value" in parsed) return parsed.value;
    ctx.addIssue({ code: "custom", message: parsed.error });
    return z.NEVER;
  });
}

/** The value of a field that is absent and has no default (Go's FieldType.Zero). */
export function zeroValue(type: FieldType): unknown {
  switch (type) {
    case "string":
    case "lowercase_string":
    case "name":
      return "";
    case "int":
    case "float":
    case "duration":
    case "signed_duration":
      return 0;
    case "bool":
      return false;
    case "comma_string_list":
    case "string_list":
      return [];
    case "kv_pairs":
    case "map":
      return {};
    case "time":
      return new Date(0);
    default: {
      const unreachable: never = type;
      throw new Error(`unknown field type ${unreachable}`);
    }
  }
}
