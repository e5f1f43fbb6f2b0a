/**
 * The JSON text fields of the wire (`Request.data`, `Response.data`, `Secret.internal_data`).
 *
 * Hosts forward request numbers as the client wrote them (Go's `UseNumber`), so an integer may
 * exceed 2^53, where `JSON.parse` would silently round it. Our rule: such an integer arrives as
 * its exact decimal **string**; safe integers and fractions stay numbers. A string (not a
 * `bigint`) because everything downstream copes with one: schema checks refuse it for integer
 * fields with a clear 400 rather than store a wrong value, string fields keep it exactly, and
 * re-serialising it never throws. Going out, a `bigint` anywhere in the data is written as an exact
 * JSON number, which the hosts keep exact too.
 *
 * @module
 */

// JSON.rawJSON (ES2025) is in V8 but not yet in TypeScript's lib.
const rawJSON = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON;

const INTEGER = /^-?\d+$/;

/**
 * Parses a JSON object sent by the host; `null`, empty text and non-objects become `{}` (hosts
 * send `null` for a request without data). Integers beyond 2^53 become exact decimal strings.
 *
 * @example
 * ```ts
 * import { parseJsonObject } from "./json.ts";
 *
 * parseJsonObject("null"); // {}
 * parseJsonObject('{"n": 9007199254740993}'); // { n: "9007199254740993" }
 * ```
 *
 * @throws {SyntaxError} when the text is not JSON.
 */
export function parseJsonObject(text: string): Record<string, unknown> {
  if (!text) return {};
  const value: unknown = JSON.parse(text, keepBigIntegers);
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? value as Record<string, unknown>
    : {};
}

function keepBigIntegers(_key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value !== "number" || Number.isSafeInteger(value)) return value;
  const source = context?.source;
  return source !== undefined && INTEGER.test(source) ? source : value;
}

/**
 * Serialises data for the wire: always valid JSON (`null` for `undefined`, never ""), `bigint`
 * values as exact JSON numbers.
 *
 * @throws {TypeError} when the value cannot be serialised (e.g. it is circular).
 */
export function stringifyJson(value: unknown): string {
  return JSON.stringify(value, writeBigIntegers) ?? "null";
}

function writeBigIntegers(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? rawJSON(value.toString()) : value;
}
