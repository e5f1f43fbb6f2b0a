/**
 * Field types: how each parses request data (Vault's weak typing, as zod schemas), its zero
 * value, and how help text and OpenAPI name it. The set is closed: every switch over it ends in a
 * `never` check, and tests visit every member.
 *
 * @module
 */
import { z } from "zod";
import { describe, parseDurationSeconds } from "./_duration.ts";

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

/** The TypeScript value a field type parses into. */
export type FieldValue<T extends FieldType> = T extends
  "int" | "float" | "duration" | "signed_duration" ? number
  : T extends "bool" ? boolean
  : T extends "comma_string_list" | "string_list" ? string[]
  : T extends "kv_pairs" ? Record<string, string>
  : T extends "map" ? Record<string, unknown>
  : T extends "time" ? Date
  : string;

const NAME_PATTERN = /^\w(([\w\-.]+)?\w)?$/;

function weakString(value: unknown, ctx: z.RefinementCtx): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "1" : "0";
  if (value === null) return "";
  ctx.addIssue({ code: "custom", message: `expected a string, got ${describe(value)}` });
  return z.NEVER;
}

function parseGoInt(text: string): number | undefined {
  const t = text.trim();
  if (t !== text || t === "") return t === "" && text === "" ? 0 : undefined;
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9]\d*)$/.exec(t);
  if (!m) return undefined;
  const body = m[2];
  let value: number;
  if (/^0[xXoObB]/.test(body)) value = Number(body.toLowerCase());
  else if (body.length > 1 && body.startsWith("0")) value = parseInt(body, 8);
  else value = Number(body);
  return m[1] === "-" ? -value : value;
}

const GO_BOOLS: Record<string, boolean> = {
  "1": true,
  t: true,
  T: true,
  TRUE: true,
  true: true,
  True: true,
  "0": false,
  f: false,
  F: false,
  FALSE: false,
  false: false,
  False: false,
};

/** The zod schema that parses (and weakly converts) one field type's input. */
export function fieldSchema(type: FieldType): z.ZodType<unknown> {
  switch (type) {
    case "string":
      return z.unknown().transform(weakString);
    case "lowercase_string":
      return z.unknown().transform((v, ctx) => {
        const text = weakString(v, ctx);
        return typeof text === "string" ? text.toLowerCase() : text;
      });
    case "name":
      return z.unknown().transform(weakString).refine((s) => NAME_PATTERN.test(s), {
        message:
          "must start and end with a letter or digit and contain only letters, digits, '-', '_' and '.'",
      });
    case "int":
      return z.unknown().transform((v, ctx) => {
        if (typeof v === "number" && Number.isSafeInteger(Math.trunc(v))) return Math.trunc(v);
        if (typeof v === "boolean") return v ? 1 : 0;
        const parsed = typeof v === "string" ? parseGoInt(v) : undefined;
        if (parsed === undefined || !Number.isSafeInteger(parsed)) {
          ctx.addIssue({
            code: "custom",
            message: typeof v === "number" || parsed !== undefined
              ? `${String(v)} is out of range (integers up to 2^53)`
              : `expected an integer, got ${typeof v === "string" ? `"${v}"` : describe(v)}`,
          });
          return z.NEVER;
        }
        return parsed;
      });
    case "float":
      return z.unknown().transform((v, ctx) => {
        if (typeof v === "number" && Number.isFinite(v)) return v;
        if (typeof v === "boolean") return v ? 1 : 0;
        if (typeof v === "string" && (v === "" || (v.trim() === v && Number.isFinite(Number(v))))) {
          return Number(v);
        }
        ctx.addIssue({
          code: "custom",
          message: `expected a number, got ${typeof v === "string" ? `"${v}"` : describe(v)}`,
        });
        return z.NEVER;
      });
    case "bool":
      return z.unknown().transform((v, ctx) => {
        if (typeof v === "boolean") return v;
        if (typeof v === "number") return v !== 0;
        if (v === "") return false;
        if (typeof v === "string" && v in GO_BOOLS) return GO_BOOLS[v];
        ctx.addIssue({
          code: "custom",
          message: `expected a boolean, got ${typeof v === "string" ? `"${v}"` : describe(v)}`,
        });
        return z.NEVER;
      });
    case "duration":
    case "signed_duration":
      return z.unknown().transform((v, ctx) => {
        const parsed = parseDurationSeconds(v);
        if ("error" in parsed) {
          ctx.addIssue({ code: "custom", message: parsed.error });
          return z.NEVER;
        }
        if (type === "duration" && parsed.seconds < 0) {
          ctx.addIssue({ code: "custom", message: "cannot provide negative value" });
          return z.NEVER;
        }
        return parsed.seconds;
      });
    case "comma_string_list":
    case "string_list":
      return z.unknown().transform((v, ctx) => {
        if (v === "" || v === null) return [];
        if (typeof v === "string") {
          return type === "comma_string_list" ? v.split(",").map((s) => s.trim()) : [v.trim()];
        }
        if (typeof v === "number") return [String(v)];
        if (Array.isArray(v)) {
          return v.map((item) => {
            if (typeof item === "string" || typeof item === "number" || typeof item === "boolean") {
              return weakString(item, ctx).trim();
            }
            ctx.addIssue({
              code: "custom",
              message: `list items must be strings, got ${describe(item)}`,
            });
            return "";
          });
        }
        ctx.addIssue({ code: "custom", message: `expected a list of strings, got ${describe(v)}` });
        return z.NEVER;
      });
    case "kv_pairs":
      return z.unknown().transform((v, ctx) => {
        const out: Record<string, string> = {};
        if (v && typeof v === "object" && !Array.isArray(v)) {
          for (const [k, item] of Object.entries(v)) {
            if (item !== null && typeof item === "object") {
              ctx.addIssue({ code: "custom", message: `value of "${k}" must be a string` });
              return z.NEVER;
            }
            out[k] = item === null ? "" : String(item);
          }
          return out;
        }
        const list = typeof v === "string"
          ? (v === "" ? [] : [v])
          : Array.isArray(v)
          ? v
          : undefined;
        if (!list) {
          ctx.addIssue({ code: "custom", message: `expected key=value pairs, got ${describe(v)}` });
          return z.NEVER;
        }
        for (const item of list) {
          const text = typeof item === "string" ? item : "";
          const eq = text.indexOf("=");
          if (eq <= 0) {
            ctx.addIssue({ code: "custom", message: `"${String(item)}" is not a key=value pair` });
            return z.NEVER;
          }
          out[text.slice(0, eq)] = text.slice(eq + 1);
        }
        return out;
      });
    case "map":
      return z.unknown().transform((v, ctx) => {
        if (Array.isArray(v) && v.length === 0) return {};
        if (v && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
        ctx.addIssue({ code: "custom", message: `expected an object, got ${describe(v)}` });
        return z.NEVER;
      });
    case "time":
      return z.unknown().transform((v, ctx) => {
        const date = typeof v === "string"
          ? (/^\d+$/.test(v) ? new Date(Number(v) * 1000) : new Date(v))
          : new Date(Number.NaN);
        if (typeof v === "string" && !/^\d+$/.test(v) && !/^\d{4}-\d{2}-\d{2}T/.test(v)) {
          ctx.addIssue({
            code: "custom",
            message: `expected an RFC 3339 time or epoch seconds, got "${v}"`,
          });
          return z.NEVER;
        }
        if (Number.isNaN(date.getTime())) {
          ctx.addIssue({
            code: "custom",
            message: `expected an RFC 3339 time or epoch seconds, got ${describe(v)}`,
          });
          return z.NEVER;
        }
        return date;
      });
    default: {
      const unreachable: never = type;
      throw new Error(`unknown field type ${unreachable}`);
    }
  }
}

/** The value of a field that is absent and has no default. */
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

/** OpenAPI schema of a field type (as Vault's framework documents it). */
export function openApiSchema(type: FieldType): Record<string, unknown> {
  switch (type) {
    case "string":
    case "lowercase_string":
    case "name":
      return { type: "string" };
    case "int":
      return { type: "integer" };
    case "float":
      return { type: "number" };
    case "bool":
      return { type: "boolean" };
    case "duration":
    case "signed_duration":
      return { type: "string", format: "duration" };
    case "comma_string_list":
    case "string_list":
      return { type: "array", items: { type: "string" } };
    case "kv_pairs":
      return { type: "object", format: "kvpairs" };
    case "map":
      return { type: "object" };
    case "time":
      return { type: "string", format: "date-time" };
    default: {
      const unreachable: never = type;
      throw new Error(`unknown field type ${unreachable}`);
    }
  }
}

/** How help text names a field type. */
export function helpTypeName(type: FieldType): string {
  switch (type) {
    case "lowercase_string":
    case "name":
      return "string";
    case "signed_duration":
      return "duration (sec)";
    case "duration":
      return "duration (sec)";
    case "comma_string_list":
      return "comma-separated list";
    case "string_list":
      return "list";
    case "kv_pairs":
      return "key=value pairs";
    case "string":
    case "int":
    case "bool":
    case "float":
    case "map":
    case "time":
      return type;
    default: {
      const unreachable: never = type;
      throw new Error(`unknown field type ${unreachable}`);
    }
  }
}
