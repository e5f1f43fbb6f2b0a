/**
 * Go's weak conversions, as Vault's framework applies them to request data (mapstructure
 * WeakDecode, strconv, parseutil). Plain functions returning a value or a reason; the field
 * types wrap them in zod schemas. Internal to the framework.
 *
 * @module
 */

/** A parsed value, or why the input was refused. */
export type Parsed<T> = { value: T } | { error: string };

/** A short description of a JSON value's type for messages ("a string", "a list"...). */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/**
 * How a message shows the input: quoted when it may be echoed, else only its type (fields
 * marked sensitive never have their value in an error).
 */
export function shown(value: unknown, echo: boolean): string {
  if (!echo) return describe(value);
  if (typeof value === "string") {
    return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}...` : value);
  }
  return typeof value === "number" || typeof value === "boolean" ? String(value) : describe(value);
}

/** Decimal text of a number as Go's strconv.FormatFloat(f, 'f', -1, 64): never an exponent. */
export function numberText(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) >= 1e21) return BigInt(value).toString();
  return String(value);
}

/** mapstructure's weak string: numbers as decimal text, booleans as "1"/"0", null as "". */
export function weakString(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number") return numberText(value);
  if (typeof value === "boolean") return value ? "1" : "0";
  if (value === null) return "";
  return undefined;
}

/**
 * strconv.ParseInt(text, 0, 64): optional sign, base prefixes 0x, 0o, 0b, a leading 0 for
 * octal, and '_' between digits only after a prefix; no spaces.
 */
export function parseGoInt(text: string): number | undefined {
  const match = /^([+-]?)(0[xX]_?[0-9a-fA-F_]+|0[oO]_?[0-7_]+|0[bB]_?[01_]+|0[0-7_]*|[1-9]\d*)$/
    .exec(text);
  if (!match || /__|_$/.test(match[2])) return undefined;
  const body = match[2].replaceAll("_", "").toLowerCase();
  let value: number;
  if (/^0[xob]/.test(body)) value = Number(body);
  else if (body.startsWith("0")) value = parseInt(body, 8);
  else value = Number(body);
  return match[1] === "-" ? -value : value;
}

/** strconv.ParseFloat: decimal or exponent notation, "inf" and "nan" refused (not JSON). */
export function parseGoFloat(text: string): number | undefined {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
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

/** strconv.ParseBool's accepted spellings. */
export function parseGoBool(text: string): boolean | undefined {
  return Object.hasOwn(GO_BOOLS, text) ? GO_BOOLS[text] : undefined;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** parseutil.ParseAbsoluteTime for strings: RFC 3339, or integer epoch seconds. */
export function parseGoTime(text: string): Date | undefined {
  if (/^[+-]?\d+$/.test(text)) {
    const seconds = Number(text);
    return Number.isSafeInteger(seconds) ? new Date(seconds * 1000) : undefined;
  }
  if (!RFC3339.test(text)) return undefined;
  const date = new Date(text.toUpperCase());
  return Number.isNaN(date.getTime()) ? undefined : date;
}
