/**
 * Parses and checks a request's data against a path's fields, all of them before any handler
 * runs: the first bad field becomes a UserInputError naming it and the reason (a 400, with
 * nothing stored). Each field's zod schema is derived from its declaration: the type's weak
 * parser, then `allowedValues`, then `validate`.
 *
 * @module
 */
import { z } from "zod";
import { UserInputError } from "../errors.ts";
import { fieldSchema, zeroValue } from "./field_types.ts";
import type { FieldData, Fields, FieldSchema } from "./path.ts";

/**
 * The zod schema of one declared field. Its output `undefined` means the value counts as
 * absent (a JSON null for some types, see `FieldData.has`).
 *
 * @example
 * ```ts
 * import { fieldZodSchema } from "./field_data.ts";
 * const colour = fieldZodSchema({ type: "string", description: "Colour", allowedValues: ["red"] });
 * colour.safeParse("blue").success; // false
 * ```
 */
export function fieldZodSchema(field: FieldSchema): z.ZodType<unknown> {
  // Declarations do not change, so each field's schema is built once, not on every request.
  let schema = SCHEMAS.get(field);
  if (!schema) {
    schema = buildFieldZodSchema(field);
    SCHEMAS.set(field, schema);
  }
  return schema;
}

const SCHEMAS = new WeakMap<FieldSchema, z.ZodType<unknown>>();

function buildFieldZodSchema(field: FieldSchema): z.ZodType<unknown> {
  return fieldSchema(field.type, { sensitive: field.sensitive }).superRefine((value, ctx) => {
    if (value === undefined) return;
    const allowed = field.allowedValues;
    if (allowed && !allowed.some((a) => sameValue(a, value))) {
      ctx.addIssue({
        code: "custom",
        message: `must be one of ${allowed.map((v) => JSON.stringify(v)).join(", ")}`,
      });
      return;
    }
    const problem = field.validate?.(value as never);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b || (typeof a === "object" && JSON.stringify(a) === JSON.stringify(b));
}

/**
 * A field's value when the request does not carry it: the declared default (through the
 * type's parser, so `"1h"` becomes 3600), else the type's zero value.
 *
 * @throws {Error} when the declared default does not parse (a programming error).
 */
export function defaultValue(field: FieldSchema): unknown {
  if (field.default === undefined) return zeroValue(field.type);
  const parsed = fieldSchema(field.type).safeParse(field.default);
  if (!parsed.success) {
    throw new Error(`default ${JSON.stringify(field.default)} is not a valid ${field.type}`);
  }
  return parsed.data === undefined ? zeroValue(field.type) : parsed.data;
}

/** Options of parseFieldData. */
export interface ParseFieldDataOptions {
  /**
   * Treat a field that does not parse as absent instead of refusing the request. For data the
   * backend wrote itself (renew/revoke), where refusing would make a lease irrevocable.
   */
  lenient?: boolean;
}

/**
 * Checks every present field of `raw` and returns typed access to them.
 *
 * @throws {UserInputError} naming the first field (in declaration order) that does not parse
 *   or check: `Invalid field "ttl": cannot parse "abc" as a duration ...`.
 */
export function parseFieldData<F extends Fields>(
  fields: F,
  raw: Record<string, unknown>,
  options: ParseFieldDataOptions = {},
): FieldData<F> {
  const parsed = new Map<string, unknown>();
  for (const [name, field] of Object.entries(fields)) {
    if (!Object.hasOwn(raw, name)) continue;
    const result = fieldZodSchema(field).safeParse(raw[name]);
    if (!result.success) {
      if (options.lenient) continue;
      const reason = result.error.issues[0]?.message ?? "invalid value";
      throw new UserInputError(`Invalid field "${name}": ${reason}`, { field: name });
    }
    if (result.data !== undefined) parsed.set(name, result.data);
  }
  return {
    raw,
    has: (name) => parsed.has(name),
    get(name) {
      if (parsed.has(name)) return parsed.get(name) as never;
      const field = Object.hasOwn(fields, name) ? fields[name] : undefined;
      if (!field) throw new Error(`field "${name}" is not declared on this path`);
      return defaultValue(field) as never;
    },
  };
}
