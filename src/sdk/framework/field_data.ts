/**
 * Parses and checks a request's data against a path's fields, all of them before any handler
 * runs: the first bad field becomes a UserInputError naming it and the reason (a 400, with
 * nothing stored).
 *
 * @module
 */
import { UserInputError } from "../errors.ts";
import { fieldSchema, zeroValue } from "./field_types.ts";
import type { FieldData, Fields } from "./path.ts";

/**
 * Validates every present field of `raw` and returns typed access to them.
 *
 * @throws {UserInputError} naming the first field that does not parse or check.
 */
export function parseFieldData<F extends Fields>(
  fields: F,
  raw: Record<string, unknown>,
): FieldData<F> {
  const parsed = new Map<string, unknown>();
  for (const [name, schema] of Object.entries(fields)) {
    if (!(name in raw)) continue;
    const result = fieldSchema(schema.type).safeParse(raw[name]);
    if (!result.success) {
      const reason = result.error.issues[0]?.message ?? "invalid value";
      throw new UserInputError(`Invalid field "${name}": ${reason}`, { field: name });
    }
    if (schema.allowedValues && !schema.allowedValues.includes(result.data)) {
      throw new UserInputError(
        `Invalid field "${name}": must be one of ${
          schema.allowedValues.map((v) => JSON.stringify(v)).join(", ")
        }`,
        { field: name },
      );
    }
    const problem = schema.validate?.(result.data as never);
    if (problem) throw new UserInputError(`Invalid field "${name}": ${problem}`, { field: name });
    parsed.set(name, result.data);
  }
  return {
    raw,
    has: (name) => parsed.has(name),
    get(name) {
      if (parsed.has(name)) return parsed.get(name) as never;
      const schema = fields[name];
      if (!schema) throw new Error(`field "${name}" is not declared on this path`);
      if (schema.default !== undefined) {
        const d = fieldSchema(schema.type).safeParse(schema.default);
        return (d.success ? d.data : schema.default) as never;
      }
      return zeroValue(schema.type) as never;
    },
  };
}
